# The two commands of the README, plus the steps they are made of.
#   make demo   install what is missing, build, run on the bundled example
#   make check  install what is missing, build, run every test
BUILD ?= build
CMAKE_FLAGS ?=
PYTHON_INCLUDES := -isystem /usr/include/python3.11
EXAMPLE := examples/spam/spammodule.c

.PHONY: all deps build demo check clean

all: build

deps:
	@scripts/install-deps.sh

$(BUILD)/build.ninja: CMakeLists.txt test/CMakeLists.txt | deps
	cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS)

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD)

demo: build
	$(BUILD)/bin/freethreading-tidy --checks='-*,freethreading-*' \
	  $(EXAMPLE) -- $(PYTHON_INCLUDES) -I compat

check: build
	cmake --build $(BUILD) --target check-freethreading

clean:
	rm -rf $(BUILD)
