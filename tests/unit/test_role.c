/* test_role.c - the one grammar of roles and placeholders (model/role.h). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "model/role.h"
#include "base/util.h"

static struct role parse_ok(const char *s)
{
	struct role r;

	ck_assert_msg(role_parse(s, strlen(s), &r) == 0, "'%s' should parse", s);
	return r;
}

START_TEST(test_roles_valid)
{
	struct role r;

	r = parse_ok("root");
	ck_assert_int_eq(r.base, ROLE_ROOT);
	ck_assert_uint_eq(r.nsteps, 0);
	ck_assert(!role_is_wild(&r));

	r = parse_ok("root.2.1");
	ck_assert_uint_eq(r.nsteps, 2);
	ck_assert_int_eq(r.steps[0].kind, ROLE_CHILD);
	ck_assert_uint_eq(r.steps[0].n, 2);
	ck_assert_uint_eq(r.steps[1].n, 1);

	r = parse_ok("root.*");
	ck_assert_int_eq(r.steps[0].kind, ROLE_CHILDREN);
	ck_assert(role_is_wild(&r));

	r = parse_ok("root.exit.3.1");
	ck_assert_uint_eq(r.nsteps, 2);
	ck_assert_int_eq(r.steps[0].kind, ROLE_ENDED);
	ck_assert_uint_eq(r.steps[0].n, 3);
	ck_assert_int_eq(r.steps[1].kind, ROLE_CHILD);

	r = parse_ok("root.exit.*");
	ck_assert_int_eq(r.steps[0].kind, ROLE_ENDED_ALL);
	ck_assert(role_is_wild(&r));

	r = parse_ok("*");
	ck_assert_int_eq(r.base, ROLE_ANY);
	ck_assert(role_is_wild(&r));
	r = parse_ok("*.1");
	ck_assert_uint_eq(r.nsteps, 1);

	r = parse_ok("reaper");
	ck_assert_int_eq(r.base, ROLE_REAPER);
	ck_assert(role_valid("root.999999999"));
}
END_TEST

START_TEST(test_roles_invalid)
{
	static const char *const bad[] = {
		"", "Root", "roots", "root.", ".root", "root..1", "root.0",
		"root.01", "root.-1", "root.exit", "root.exit.exit",
		"root.exit.0", "root.1x", "reaper.1", "child1", "root.**",
		"root.1234567890", " root", "root ", "*.", NULL
	};
	size_t i;
	struct sbuf deep = SBUF_INIT;

	for (i = 0; bad[i]; i++)
		ck_assert_msg(!role_valid(bad[i]), "'%s' should not parse", bad[i]);
	ck_assert(!role_valid(NULL));
	/* a length that stops early parses only what it covers */
	ck_assert_int_eq(role_parse("root.1", 4, &(struct role){ 0 }), 0);

	sbuf_adds(&deep, "root");
	for (i = 0; i < ROLE_STEPS_MAX; i++)
		sbuf_adds(&deep, ".1");
	ck_assert(role_valid(deep.buf));
	sbuf_adds(&deep, ".1");
	ck_assert(!role_valid(deep.buf));
	sbuf_release(&deep);
}
END_TEST

/* The tokens of text as "T(...)", "B", "P(name:role)", "N", "O", "R". */
static char *tokens(const char *text)
{
	struct sbuf sb = SBUF_INIT;
	struct role_token tok;
	size_t pos = 0;

	while (role_next(text, &pos, &tok)) {
		switch (tok.type) {
		case ROLE_TOK_TEXT:
			sbuf_addf(&sb, "T(%.*s)", (int)tok.len, tok.p);
			break;
		case ROLE_TOK_BRACE:
			sbuf_adds(&sb, "B");
			break;
		case ROLE_TOK_PH:
			sbuf_addf(&sb, "P(%s:%.*s)", role_ph_name(tok.ph),
				  (int)tok.alen, tok.arg);
			break;
		case ROLE_TOK_BAD_NAME:
			sbuf_addf(&sb, "N(%.*s)", (int)tok.nlen, tok.name);
			break;
		case ROLE_TOK_BAD_OPEN:
			sbuf_adds(&sb, "O");
			break;
		case ROLE_TOK_BAD_ROLE:
			sbuf_addf(&sb, "R(%.*s)", (int)tok.alen, tok.arg);
			break;
		}
	}
	sbuf_add(&sb, "", 0);
	return sbuf_detach(&sb, NULL);
}

#define ck_tokens(text, want) do {                 \
		char *got_ = tokens(text);         \
		ck_assert_str_eq(got_, want);      \
		free(got_);                        \
	} while (0)

START_TEST(test_placeholders)
{
	ck_tokens("", "");
	ck_tokens("plain", "T(plain)");
	ck_tokens("{pid:root} x", "P(pid:root)T( x)");
	ck_tokens("{ppid:root.1}{status:root.exit.1}{comm:*}{nforks:reaper}",
		  "P(ppid:root.1)P(status:root.exit.1)P(comm:*)P(nforks:reaper)");
	ck_tokens("{{pid:root}", "BT(pid:root})");
	ck_tokens("a{2,3}b", "T(a)T({2,3}b)");
	ck_tokens("no placeholders {", "T(no placeholders )T({)");
	ck_tokens("{pdi:root}", "N(pdi)T(root})");
	ck_tokens("{pid:root", "OT(root)");
	ck_tokens("{pid:child1} ok", "R(child1)T( ok)");
	ck_tokens("{pid:root.0}", "R(root.0)");
	ck_tokens("{pid:}", "R()");

	ck_assert(role_has_placeholder("x {pid:root}"));
	ck_assert(role_has_placeholder("{pdi:root}"));
	ck_assert(!role_has_placeholder("{{pid:root} a{2}"));
	ck_assert(!role_has_placeholder(NULL));
	ck_assert_str_eq(role_ph_name(ROLE_PH_NFORKS), "nforks");
}
END_TEST

static Suite *role_suite(void)
{
	Suite *s = suite_create("role");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_roles_valid);
	tcase_add_test(tc, test_roles_invalid);
	tcase_add_test(tc, test_placeholders);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(role_suite());
	int failed;

	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
