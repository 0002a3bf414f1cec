#!/usr/bin/env python3
"""Checks the CI examples against the repository they come from.

    check_examples.py ROOT

For integration/ci/github-actions.yml and gitlab-ci.yml: they parse as YAML;
they run in Debian bookworm and install only packages scripts/install-deps.sh
installs; the CMake options they pass exist in CMakeLists.txt; they run
freethreading-precommit over all files with --sarif=FILE; and that same FILE
is what GitHub's upload-sarif step uploads (always, with the permission it
needs), or what GitLab keeps as an artifact and converts, with
tools/scripts/sarif-to-codequality, into the Code Quality report it declares.
Prints one line per problem and exits 1 if there is any.

    check_examples.py --commands STEP ROOT

Prints the shell commands of one step, one a line (continuations joined),
for a test to run them as the CI job would: `github-hook` (the GitHub step
that runs freethreading-precommit), `gitlab-script` and `gitlab-after` (the
GitLab job's script and after_script).
"""
import os
import re
import shlex
import sys

import yaml

DEBIAN_IMAGE = "debian:bookworm"
# A bare container also needs these, which a developer's machine has.
CONTAINER_BASICS = {"ca-certificates"}


def deps_packages(root):
    with open(os.path.join(root, "scripts", "install-deps.sh")) as f:
        text = f.read()
    block = re.search(r"PACKAGES=\((.*?)\)", text, re.DOTALL).group(1)
    return {w.strip('"').replace("${LLVM_VERSION}", "22")
            for w in block.split() if not w.startswith("#")}


def commands(text):
    """The commands of a shell snippet, continuation lines joined."""
    joined = re.sub(r"\\\n\s*", " ", text)
    return [shlex.split(line, comments=True)
            for line in joined.splitlines() if line.strip()]


class Checker:
    def __init__(self, root):
        self.root = root
        self.problems = []
        self.packages = deps_packages(root)
        with open(os.path.join(root, "CMakeLists.txt")) as f:
            self.cmake = f.read()

    def problem(self, where, message):
        self.problems.append(f"{where}: {message}")

    def check_shell(self, where, lines):
        """Checks apt-get and cmake lines; returns the --sarif file of the
        freethreading-precommit line."""
        sarif = None
        for words in (w for line in lines for w in commands(line)):
            if words[:2] == ["apt-get", "install"]:
                for pkg in (w for w in words[2:] if not w.startswith("-")):
                    if pkg not in self.packages | CONTAINER_BASICS:
                        self.problem(where, f"installs '{pkg}', which "
                                     "scripts/install-deps.sh does not")
            if words and words[0] == "cmake":
                for option in (w[2:].split("=")[0] for w in words
                               if w.startswith("-DFREETHREADING_")):
                    if option not in self.cmake:
                        self.problem(where, f"no CMake option {option}")
            if words and words[0] == "freethreading-precommit":
                if "--all-files" not in words:
                    self.problem(where, "the hook does not run on all files")
                sarif = next((w.split("=", 1)[1] for w in words
                              if w.startswith("--sarif=")), None)
        if sarif is None:
            self.problem(where, "no freethreading-precommit --sarif=FILE")
        return sarif

    def github(self, path):
        with open(path) as f:
            workflow = yaml.safe_load(f)
        where = os.path.relpath(path, self.root)
        if workflow.get("permissions", {}).get("security-events") != "write":
            self.problem(where, "upload-sarif needs security-events: write")
        for name, job in workflow.get("jobs", {}).items():
            if job.get("container") != DEBIAN_IMAGE:
                self.problem(where, f"job {name} does not run in "
                             f"{DEBIAN_IMAGE}")
            steps = job.get("steps", [])
            sarif = self.check_shell(where, [s["run"] for s in steps
                                             if "run" in s])
            uploads = [s for s in steps if s.get("uses", "").startswith(
                "github/codeql-action/upload-sarif@")]
            if not uploads:
                self.problem(where, "no github/codeql-action/upload-sarif step")
            for step in uploads:
                if step.get("with", {}).get("sarif_file") != sarif:
                    self.problem(where, "upload-sarif uploads "
                                 f"{step.get('with', {}).get('sarif_file')}, "
                                 f"the hook writes {sarif}")
                if step.get("if") != "always()":
                    self.problem(where, "upload-sarif must run also when "
                                 "the hook fails (if: always())")

    def gitlab(self, path):
        with open(path) as f:
            config = yaml.safe_load(f)
        where = os.path.relpath(path, self.root)
        for name, job in config.items():
            if not isinstance(job, dict) or "script" not in job:
                continue
            if job.get("image") != DEBIAN_IMAGE:
                self.problem(where, f"job {name} does not run in "
                             f"{DEBIAN_IMAGE}")
            sarif = self.check_shell(where, job.get("before_script", []) +
                                     job["script"])
            artifacts = job.get("artifacts", {})
            if sarif not in artifacts.get("paths", []):
                self.problem(where, f"{sarif} is not kept as an artifact")
            if artifacts.get("when") != "always":
                self.problem(where, "artifacts must be kept when the job "
                             "fails (when: always)")
            report = artifacts.get("reports", {}).get("codequality")
            converted = [w for line in job.get("after_script", [])
                         for w in commands(line)
                         if any(x.endswith("/sarif-to-codequality")
                                for x in w)]
            if not converted:
                self.problem(where, "no sarif-to-codequality in after_script")
            for words in converted:
                script = next(w for w in words
                              if w.endswith("/sarif-to-codequality"))
                if not os.path.exists(os.path.join(
                        self.root, "tools", "scripts",
                        os.path.basename(script))):
                    self.problem(where, f"no tools/scripts/"
                                 f"{os.path.basename(script)}")
                if words[-2:] != [sarif, report]:
                    self.problem(where, f"converts {words[-2:]}, expected "
                                 f"[{sarif}, {report}]")


def step_commands(step, root):
    """The command lines of \\p step (see the usage above)."""
    ci = os.path.join(root, "integration", "ci")
    if step == "github-hook":
        with open(os.path.join(ci, "github-actions.yml")) as f:
            workflow = yaml.safe_load(f)
        texts = [s["run"] for job in workflow["jobs"].values()
                 for s in job["steps"]
                 if "freethreading-precommit" in s.get("run", "")]
    else:
        with open(os.path.join(ci, "gitlab-ci.yml")) as f:
            config = yaml.safe_load(f)
        key = {"gitlab-script": "script", "gitlab-after": "after_script"}[step]
        texts = [line for job in config.values()
                 if isinstance(job, dict) for line in job.get(key, [])]
    joined = (re.sub(r"\\\n\s*", " ", text) for text in texts)
    return [line.strip() for text in joined for line in text.splitlines()
            if line.strip() and not line.strip().startswith("#")]


def main(root):
    checker = Checker(root)
    ci = os.path.join(root, "integration", "ci")
    checker.github(os.path.join(ci, "github-actions.yml"))
    checker.gitlab(os.path.join(ci, "gitlab-ci.yml"))
    for problem in checker.problems:
        print(problem)
    if checker.problems:
        return 1
    print("CI examples: ok")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--commands"] and len(sys.argv) == 4:
        print("\n".join(step_commands(sys.argv[2], sys.argv[3])))
        sys.exit(0)
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
