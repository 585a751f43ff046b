# Makefile - builds the grader, runs its tests, and installs what is missing.
#
#   make demo     install what is missing, build, grade the example submission
#   make check    install what is missing, build, run every test
#   make asan     the whole test suite again under ASan + UBSan
#   make bench    the benchmark (prints ratios, asserts nothing)
#   make install  the grader and its specs under PREFIX: /usr/local as root,
#                 else $HOME/.local (PREFIX=DIR to choose)
#
# Dependencies are Debian packages; `make deps` installs them with apt-get
# when run as root and otherwise prints the exact command to run.

PREFIX     ?= $(if $(filter 0,$(shell id -u)),/usr/local,$(HOME)/.local)
BUILD      ?= build
CC         ?= cc
VERSION    := 0.1.0
PKGS       := yaml-0.1 json-c libseccomp
TEST_PKGS  := check

# Build and test dependencies, as Debian package names.
DEB_BUILD  := gcc make pkg-config libyaml-dev libjson-c-dev libseccomp-dev
DEB_TEST   := check libsubunit-dev libxml2-utils perl zip unzip clang jq bc \
              python3-jsonschema python3-yaml parallel chromium

Q          := $(if $(V),,@)
WARN       := -Wall -Wextra -Werror -Wmissing-prototypes -Wshadow -Wformat=2
OPT        ?= -O2 -g
SAN        ?=
CFLAGS_ALL  = -std=c11 -D_GNU_SOURCE -pthread $(WARN) $(OPT) $(SAN) \
              -DGRADER_VERSION='"$(VERSION)"' \
              -DGRADER_DATADIR='"$(PREFIX)/share/grader"' \
              $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(CFLAGS)
LIBS        = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm -pthread
TEST_LIBS   = $(shell pkg-config --libs $(TEST_PKGS) 2>/dev/null)

# The library, one folder per stage (README: "Source layout").
STAGES     := base model load exec judge grade report
LIB_SRC    := $(foreach d,$(STAGES),$(wildcard grader/$(d)/*.c))
LIB_HDR    := $(foreach d,$(STAGES),$(wildcard grader/$(d)/*.h))
LIB_OBJ    := $(LIB_SRC:grader/%.c=$(BUILD)/obj/%.o)
UNIT_SRC   := $(wildcard tests/unit/test_*.c)
UNIT_BIN   := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FIXTURES   := $(patsubst tests/fixture/%.c,$(BUILD)/fixture/%,$(wildcard tests/fixture/*.c))
TOOLS      := $(patsubst tests/tools/%.c,$(BUILD)/tools/%,$(wildcard tests/tools/*.c))

.PHONY: all deps deps-test check unit e2e asan demo bench stress stress-explore install clean fuzz gradescope
.DEFAULT_GOAL := all

all: deps $(BUILD)/grader

# ---- dependencies ----------------------------------------------------------

deps:
	@sh tests/deps.sh $(DEB_BUILD)

deps-test:
	@sh tests/deps.sh $(DEB_BUILD) $(DEB_TEST)

# ---- the grader ------------------------------------------------------------

$(BUILD)/obj/%.o: grader/%.c $(LIB_HDR)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS_ALL) -iquote grader -c $< -o $@

$(BUILD)/libgrader.a: $(LIB_OBJ)
	$(Q)rm -f $@
	$(Q)ar rcs $@ $^

$(BUILD)/grader: $(BUILD)/obj/main.o $(BUILD)/libgrader.a
	@echo "  LINK    $@"
	$(Q)$(CC) $(CFLAGS_ALL) -o $@ $^ $(LIBS)

$(BUILD)/tests $(BUILD)/fixture $(BUILD)/tools:
	mkdir -p $@

# ---- tests -----------------------------------------------------------------

$(BUILD)/tests/test_%: tests/unit/test_%.c $(wildcard tests/unit/*.h) $(BUILD)/libgrader.a | $(BUILD)/tests
	@echo "  TEST    $@"
	$(Q)$(CC) $(CFLAGS_ALL) -iquote grader -o $@ $< $(BUILD)/libgrader.a $(TEST_LIBS) $(LIBS)

# Fixture programs are student stand-ins: built without sanitizers, since
# ASan's runtime gets in the way of ptrace and rlimits.
$(BUILD)/fixture/%: tests/fixture/%.c | $(BUILD)/fixture
	@echo "  FIXTURE $@"
	$(Q)$(CC) -std=c11 -D_GNU_SOURCE $(WARN) -O1 -g -pthread -o $@ $<

# Test tools run the grader the way a platform would (nonamespace: under
# a seccomp filter like Docker's default profile); no sanitizers either.
$(BUILD)/tools/%: tests/tools/%.c | $(BUILD)/tools
	@echo "  TOOL    $@"
	$(Q)$(CC) -std=c11 -D_GNU_SOURCE $(WARN) -O1 -g -o $@ $< \
		$(shell pkg-config --cflags --libs libseccomp 2>/dev/null)

check: deps-test all $(UNIT_BIN) $(FIXTURES) $(TOOLS)
	@sh tests/run-tests.sh $(BUILD)

unit: $(UNIT_BIN) $(FIXTURES)
	@sh tests/run-tests.sh $(BUILD) unit

e2e: $(BUILD)/grader $(FIXTURES) $(TOOLS)
	@sh tests/run-tests.sh $(BUILD) e2e $(SUITES)

asan: deps-test
	$(MAKE) check BUILD=build-asan OPT='-O1 -g -fno-omit-frame-pointer' \
		SAN='-fsanitize=address,undefined -fno-sanitize-recover=all'

fuzz: deps-test
	@sh tests/fuzz/run.sh $(BUILD)

# ---- using it --------------------------------------------------------------

# Grade the example, install the grader (README: "Quick start"), and say
# what a student types next.
demo: install
	@echo "Grading the example submission in tests/example_submission:"
	@./$(BUILD)/grader run tests/example_submission; st=$$?; \
	  if [ $$st -gt 1 ]; then exit $$st; fi; \
	  echo; echo "(exit status $$st: 0 all passed, 1 some checks failed)"
	@echo; echo "The grader is installed as $(PREFIX)/bin/grader. A student starts with:"; \
	  case ":$$PATH:" in *":$(PREFIX)/bin:"*) ;; \
	  *) echo '  export PATH="$(PREFIX)/bin:$$PATH"   # not on your PATH yet';; esac; \
	  echo "  cp -r student_template ~/fork-exec && cd ~/fork-exec"; \
	  echo "  grader show ex05"; \
	  echo "  grader run --only ex05 ."

bench: all $(FIXTURES)
	@sh tests/bench/run.sh $(BUILD)

# The reference solutions, 20 runs in a row with the other core kept busy.
stress: all
	@sh tests/stress-solutions.sh $(BUILD) 20

# The acceptance run of exploration (issue 15): every reference solution,
# C and Python, passes --explore 50 five times in a row with the other
# core busy. Long (about an hour): not part of check.
stress-explore: all
	@EXPLORE=50 sh tests/stress-solutions.sh $(BUILD) 5 busy

# build/gradescope/autograder.zip: upload it as a Gradescope autograder.
gradescope: all
	@sh tests/deps.sh zip
	@sh tests/platform/make-gradescope.sh $(BUILD)

install: all
	$(Q)install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/grader/specs
	$(Q)install -m 755 $(BUILD)/grader $(DESTDIR)$(PREFIX)/bin/grader
	$(Q)cp -R specs/. $(DESTDIR)$(PREFIX)/share/grader/specs/
	@# The skeletons as handed out, beside the specs (languages.yaml's
	@# skeleton:): an exercise still as handed out is "not started".
	$(Q)rm -rf $(DESTDIR)$(PREFIX)/share/grader/student_template
	$(Q)install -d $(DESTDIR)$(PREFIX)/share/grader/student_template/python
	$(Q)install -m 644 student_template/Makefile student_template/README.md student_template/ex[0-9][0-9].c \
		$(DESTDIR)$(PREFIX)/share/grader/student_template/
	$(Q)install -m 644 student_template/python/README.md student_template/python/ex[0-9][0-9].py \
		$(DESTDIR)$(PREFIX)/share/grader/student_template/python/
	@echo "  INSTALL $(DESTDIR)$(PREFIX)/bin/grader, specs and skeletons in $(DESTDIR)$(PREFIX)/share/grader"

clean:
	rm -rf build build-asan build-lead
