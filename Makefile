# The commands a person runs. `make run` and `make test` work on a fresh Debian 12 machine.
BUILD       ?= build
BUILD_ASAN  ?= build-asan
JOBS        ?= $(shell nproc)
DB          ?= candor.db
LISTEN      ?= 127.0.0.1:8080
CMAKE_FLAGS ?=

ifeq ($(CI),true)
  CMAKE_FLAGS += -DCANDOR_WERROR=ON
endif

.PHONY: all deps dev-deps configure build run run-regime test test-asan bench fuzz format format-check tidy clean

all: build

deps:
	@scripts/install-deps

dev-deps:
	@scripts/install-deps --dev

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

configure: deps $(BUILD)/CMakeCache.txt

build: configure
	cmake --build $(BUILD) -j $(JOBS)

# The demonstration screens parties against the real lists in ../shared/data when that folder
# is beside the clone (LISTS= to choose others, or none).
SHARED_LISTS := $(wildcard ../shared/data/screening/ofac_sdn_2021.csv ../shared/data/screening/un_consolidated_2026.xml)
LISTS ?= $(SHARED_LISTS)

# The public register is filled with real history, the UK licences 2008-2015, when the data is
# there (HISTORY= for none); the import skips what an earlier run loaded.
HISTORY ?= $(wildcard ../shared/data/licences/uk_licences_2008_2015.csv)

run: build
	$(foreach h,$(HISTORY),$(BUILD)/src/cli/candor import decisions --db $(DB) --format caat-uk $(h) &&) true
	$(BUILD)/src/cli/candor serve --demo --db $(DB) --listen $(LISTEN) $(foreach l,$(LISTS),--list $(l))

# Three demonstration authorities exchanging denials, and the EU-wide aggregator over them.
run-regime: build
	BUILD=$(BUILD) scripts/run-regime

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

# Unit tests again under AddressSanitizer and UndefinedBehaviorSanitizer. The suites' second
# runs on PostgreSQL (pg.*) are left to `make test`: under the sanitizers they repeat the same
# code, and the PostgreSQL backend's own tests (Pg*) still run here. ASAN_ALL=1 runs them too.
ASAN_EXCLUDE := $(if $(ASAN_ALL),,-E '^pg\.')
test-asan: deps
	cmake -S . -B $(BUILD_ASAN) -DCMAKE_BUILD_TYPE=Debug -DCANDOR_SANITIZE=ON -DCANDOR_BENCH=OFF $(CMAKE_FLAGS)
	cmake --build $(BUILD_ASAN) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	  UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --test-dir $(BUILD_ASAN) --output-on-failure -j $(JOBS) $(ASAN_EXCLUDE)

bench: build
	scripts/run-benchmarks $(BUILD)

fuzz: dev-deps
	scripts/run-fuzzers

format: dev-deps
	git ls-files --cached --others --exclude-standard '*.cc' '*.h' | xargs clang-format -i

format-check: dev-deps
	git ls-files --cached --others --exclude-standard '*.cc' '*.h' | xargs clang-format --dry-run --Werror

# clang-tidy over every source file, in parallel; any finding fails (WarningsAsErrors).
tidy: dev-deps build
	run-clang-tidy -quiet -p $(BUILD) -j $(JOBS) -extra-arg=-Wno-unknown-warning-option \
	  $(shell git ls-files 'src/*.cc') > $(BUILD)/tidy.log 2>&1 || \
	  { grep -E '(warning|error):' $(BUILD)/tidy.log | grep -v '^/usr' ; exit 1; }

clean:
	rm -rf $(BUILD) $(BUILD_ASAN) build-fuzz
