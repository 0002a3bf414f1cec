#!/usr/bin/env python3
"""Checks a SARIF log against the rules of SARIF 2.1.0 for what the driver writes.

Usage: sarif_check.py LOG [--root DIR] [--apply OUT]

The rules are those of the OASIS SARIF 2.1.0 standard and its JSON schema,
restated here for the objects freethreading-tidy emits: required
properties, JSON types, enumerations, minimums, URI shapes, and regions.
An object may hold only the properties the standard defines for it, so a
misspelt or misplaced property is an error. On top of the schema, the
standard's prose rules: ruleIndex names the rule whose id is ruleId, a
uriBaseId is defined in originalUriBaseIds whose URIs end in '/', a region
ends after it starts; and what GitHub code scanning needs: every result has
a physical location with a startLine.

--root DIR  resolves %SRCROOT% to DIR and checks every region against the
            artifact's text: lines and columns (Unicode code points) exist,
            and where a region also gives byteOffset/byteLength, both forms
            name the same bytes.
--apply OUT writes a copy of each changed artifact under OUT with the first
            fix of every result applied (by byte offsets), to compare with
            what --fix writes.

Prints `RULE PATH:LINE:COL LEVEL fixes=N related=N` per result, then
`sarif: N results, N rules, N problems`; exits 1 if there are problems.
"""
import argparse
import json
import os
import re
import sys
import urllib.parse

PROBLEMS = []

# Properties the standard defines, per object (those the driver may write and
# their siblings; an unknown property is reported).
OBJECTS = {
    "sarifLog": {"$schema", "version", "runs", "inlineExternalProperties", "properties"},
    "run": {"tool", "invocations", "conversion", "language", "versionControlProvenance",
            "originalUriBaseIds", "artifacts", "logicalLocations", "graphs", "results",
            "automationDetails", "runAggregates", "baselineGuid", "redactionTokens",
            "defaultEncoding", "defaultSourceLanguage", "newlineSequences", "columnKind",
            "externalPropertyFileReferences", "threadFlowLocations", "taxonomies", "addresses",
            "translations", "policies", "webRequests", "webResponses", "specialLocations",
            "properties"},
    "tool": {"driver", "extensions", "properties"},
    "toolComponent": {"guid", "name", "organization", "product", "productSuite",
                      "shortDescription", "fullDescription", "fullName", "version",
                      "semanticVersion", "dottedQuadFileVersion", "releaseDateUtc", "downloadUri",
                      "informationUri", "globalMessageStrings", "notifications", "rules", "taxa",
                      "locations", "language", "contents", "isComprehensive",
                      "localizedDataSemanticVersion",
                      "minimumRequiredLocalizedDataSemanticVersion", "associatedComponent",
                      "translationMetadata", "supportedTaxonomies", "properties"},
    "reportingDescriptor": {"id", "deprecatedIds", "guid", "deprecatedGuids", "name",
                            "deprecatedNames", "shortDescription", "fullDescription",
                            "messageStrings", "defaultConfiguration", "helpUri", "help",
                            "relationships", "properties"},
    "result": {"ruleId", "ruleIndex", "rule", "kind", "level", "message", "analysisTarget",
               "locations", "guid", "correlationGuid", "occurrenceCount", "partialFingerprints",
               "fingerprints", "stacks", "codeFlows", "graphs", "graphTraversals",
               "relatedLocations", "suppressions", "baselineState", "rank", "attachments",
               "hostedViewerUri", "workItemUris", "provenance", "fixes", "taxa", "webRequest",
               "webResponse", "properties"},
    "message": {"text", "markdown", "id", "arguments", "properties"},
    "location": {"id", "physicalLocation", "logicalLocations", "message", "annotations",
                 "relationships", "properties"},
    "physicalLocation": {"address", "artifactLocation", "region", "contextRegion", "properties"},
    "artifactLocation": {"uri", "uriBaseId", "index", "description", "properties"},
    "region": {"startLine", "startColumn", "endLine", "endColumn", "charOffset", "charLength",
               "byteOffset", "byteLength", "snippet", "message", "sourceLanguage", "properties"},
    "fix": {"description", "artifactChanges", "properties"},
    "artifactChange": {"artifactLocation", "replacements", "properties"},
    "replacement": {"deletedRegion", "insertedContent", "properties"},
    "artifactContent": {"text", "binary", "rendered", "properties"},
}

LEVELS = {"none", "note", "warning", "error"}
KINDS = {"notApplicable", "pass", "fail", "review", "open", "informational"}
COLUMN_KINDS = {"utf16CodeUnits", "unicodeCodePoints"}
# RFC 3986: a scheme, then characters a URI may hold (or %-escapes).
URI_CHARS = re.compile(r"^([A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$")
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def problem(where, text):
    PROBLEMS.append(f"{where}: {text}")


def is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def check_object(where, value, kind, required=()):
    """The object's type, required and known properties; False if not an object."""
    if not isinstance(value, dict):
        problem(where, f"{kind} must be an object")
        return False
    for name in required:
        if name not in value:
            problem(where, f"{kind} lacks required '{name}'")
    for name in value:
        if name not in OBJECTS[kind]:
            problem(where, f"'{name}' is not a property of {kind}")
    return True


def check_string(where, value, name):
    if name in value and not isinstance(value[name], str):
        problem(where, f"'{name}' must be a string")


def check_int(where, value, name, minimum):
    if name not in value:
        return
    if not is_int(value[name]):
        problem(where, f"'{name}' must be an integer")
    elif value[name] < minimum:
        problem(where, f"'{name}' must be at least {minimum}")


def check_uri(where, text, absolute):
    if not isinstance(text, str) or not URI_CHARS.match(text):
        problem(where, f"{text!r} is not a URI reference (RFC 3986)")
    elif absolute and not SCHEME.match(text):
        problem(where, f"{text!r} is not an absolute URI")


def check_message(where, value):
    if not check_object(where, value, "message"):
        return
    if "text" not in value and "id" not in value:
        problem(where, "message needs 'text' or 'id'")
    check_string(where, value, "text")


def check_region(where, value):
    if not check_object(where, value, "region"):
        return
    for name in ("startLine", "startColumn", "endLine", "endColumn"):
        check_int(where, value, name, 1)
    for name in ("charOffset", "byteOffset"):
        check_int(where, value, name, -1)
    for name in ("charLength", "byteLength"):
        check_int(where, value, name, 0)
    if not any(k in value for k in ("startLine", "charOffset", "byteOffset")):
        problem(where, "region names no start (startLine, charOffset or byteOffset)")
    if "startLine" in value and "endLine" in value:
        start = (value["startLine"], value.get("startColumn", 1))
        end = (value["endLine"], value.get("endColumn", start[1]))
        if end < start:
            problem(where, f"region ends {end} before it starts {start}")
    if "endColumn" in value and "endLine" not in value and "startColumn" in value:
        if value["endColumn"] < value["startColumn"]:
            problem(where, "region ends before it starts")


def check_artifact_location(where, value, base_ids):
    if not check_object(where, value, "artifactLocation"):
        return
    check_int(where, value, "index", -1)
    if "uri" in value:
        check_uri(where, value["uri"], absolute="uriBaseId" not in value)
    if "uriBaseId" in value:
        check_string(where, value, "uriBaseId")
        if value["uriBaseId"] not in base_ids:
            problem(where, f"uriBaseId {value['uriBaseId']!r} is not in originalUriBaseIds")


def check_physical(where, value, base_ids, locate):
    if not check_object(where, value, "physicalLocation"):
        return
    if "address" not in value and "artifactLocation" not in value:
        problem(where, "physicalLocation needs 'address' or 'artifactLocation'")
    if "artifactLocation" in value:
        check_artifact_location(where + ".artifactLocation", value["artifactLocation"], base_ids)
    if "region" in value:
        check_region(where + ".region", value["region"])
        locate(where + ".region", value.get("artifactLocation", {}), value["region"])


def check_location(where, value, base_ids, locate):
    if not check_object(where, value, "location"):
        return
    check_int(where, value, "id", -1)
    if "message" in value:
        check_message(where + ".message", value["message"])
    if "physicalLocation" in value:
        check_physical(where + ".physicalLocation", value["physicalLocation"], base_ids, locate)


def check_fix(where, value, base_ids, locate):
    if not check_object(where, value, "fix", ["artifactChanges"]):
        return
    if "description" in value:
        check_message(where + ".description", value["description"])
    changes = value.get("artifactChanges")
    if not isinstance(changes, list) or not changes:
        problem(where, "'artifactChanges' must be a non-empty array")
        return
    for i, change in enumerate(changes):
        here = f"{where}.artifactChanges[{i}]"
        if not check_object(here, change, "artifactChange", ["artifactLocation", "replacements"]):
            continue
        check_artifact_location(here + ".artifactLocation", change.get("artifactLocation"),
                                base_ids)
        replacements = change.get("replacements")
        if not isinstance(replacements, list) or not replacements:
            problem(here, "'replacements' must be a non-empty array")
            continue
        for j, rep in enumerate(replacements):
            there = f"{here}.replacements[{j}]"
            if not check_object(there, rep, "replacement", ["deletedRegion"]):
                continue
            check_region(there + ".deletedRegion", rep.get("deletedRegion"))
            locate(there + ".deletedRegion", change.get("artifactLocation", {}),
                   rep.get("deletedRegion", {}))
            if "insertedContent" in rep and check_object(
                    there + ".insertedContent", rep["insertedContent"], "artifactContent"):
                check_string(there, rep["insertedContent"], "text")


def check_rules(where, driver):
    rules = driver.get("rules", [])
    if not isinstance(rules, list):
        problem(where, "'rules' must be an array")
        return []
    ids = []
    for i, rule in enumerate(rules):
        here = f"{where}.rules[{i}]"
        if not check_object(here, rule, "reportingDescriptor", ["id"]):
            ids.append(None)
            continue
        check_string(here, rule, "id")
        check_string(here, rule, "name")
        if "helpUri" in rule:
            check_uri(here + ".helpUri", rule["helpUri"], absolute=True)
        ids.append(rule.get("id"))
    if len(set(ids)) != len(ids):
        problem(where, "rules are not unique")
    return ids


def check_result(where, result, rule_ids, base_ids, locate):
    if not check_object(where, result, "result", ["message"]):
        return
    check_message(where + ".message", result.get("message"))
    check_string(where, result, "ruleId")
    check_int(where, result, "ruleIndex", -1)
    if "level" in result and result["level"] not in LEVELS:
        problem(where, f"level {result['level']!r} is not one of {sorted(LEVELS)}")
    if "kind" in result and result["kind"] not in KINDS:
        problem(where, f"kind {result['kind']!r} is not one of {sorted(KINDS)}")
    index = result.get("ruleIndex", -1)
    if is_int(index) and index >= 0:
        if index >= len(rule_ids):
            problem(where, f"ruleIndex {index} names no rule")
        elif "ruleId" in result and rule_ids[index] != result["ruleId"]:
            problem(where, f"ruleIndex {index} is rule {rule_ids[index]!r}, not {result['ruleId']!r}")
    for key in ("locations", "relatedLocations", "fixes"):
        if key in result and not isinstance(result[key], list):
            problem(where, f"'{key}' must be an array")
    locations = result.get("locations", [])
    for i, loc in enumerate(locations):
        check_location(f"{where}.locations[{i}]", loc, base_ids, locate)
    if not any(isinstance(loc, dict) and "startLine" in loc.get("physicalLocation", {})
               .get("region", {}) for loc in locations):
        problem(where, "no location with a region.startLine (code scanning needs one)")
    related_ids = []
    for i, loc in enumerate(result.get("relatedLocations", [])):
        check_location(f"{where}.relatedLocations[{i}]", loc, base_ids, locate)
        related_ids.append(loc.get("id") if isinstance(loc, dict) else None)
    if len(set(related_ids)) != len(related_ids):
        problem(where, "relatedLocations ids are not unique")
    for i, fix in enumerate(result.get("fixes", [])):
        check_fix(f"{where}.fixes[{i}]", fix, base_ids, locate)


class Artifacts:
    """Artifact texts under --root, for checking regions against them."""

    def __init__(self, root, base_ids):
        self.root = root
        self.base_ids = base_ids
        self.texts = {}

    def path(self, artifact):
        uri = artifact.get("uri", "")
        base = artifact.get("uriBaseId")
        if base:
            return os.path.join(self.root, urllib.parse.unquote(uri))
        parsed = urllib.parse.urlparse(uri)
        return urllib.parse.unquote(parsed.path) if parsed.scheme == "file" else None

    def text(self, artifact):
        path = self.path(artifact)
        if path not in self.texts:
            try:
                with open(path, "rb") as f:
                    self.texts[path] = f.read()
            except (OSError, TypeError):
                self.texts[path] = None
        return self.texts[path]

    def locate(self, where, artifact, region):
        if not self.root or not isinstance(region, dict):
            return
        data = self.text(artifact)
        if data is None:
            problem(where, f"cannot read the artifact {artifact.get('uri')!r}")
            return
        lines = data.split(b"\n")

        def offset(line, column):
            """The byte offset of a 1-based line and code-point column."""
            if line > len(lines):
                return None
            text = lines[line - 1].decode("utf-8", errors="replace")
            if column > len(text) + 1:
                return None
            before = sum(len(l) + 1 for l in lines[:line - 1])
            return before + len(text[:column - 1].encode("utf-8"))

        start = end = None
        if "startLine" in region:
            start = offset(region["startLine"], region.get("startColumn", 1))
            if start is None:
                problem(where, f"line {region['startLine']} column "
                        f"{region.get('startColumn', 1)} is not in the artifact")
                return
        if "endLine" in region or "endColumn" in region:
            end = offset(region.get("endLine", region.get("startLine")),
                         region.get("endColumn", 1))
            if end is None:
                problem(where, "the region's end is not in the artifact")
                return
        if "byteOffset" in region:
            if region["byteOffset"] + region.get("byteLength", 0) > len(data):
                problem(where, "byteOffset/byteLength run past the artifact")
            if start is not None and start != region["byteOffset"]:
                problem(where, f"startLine/startColumn is byte {start}, "
                        f"byteOffset says {region['byteOffset']}")
            if end is not None and end != region["byteOffset"] + region.get("byteLength", 0):
                problem(where, f"endLine/endColumn is byte {end}, byteOffset+byteLength says "
                        f"{region['byteOffset'] + region.get('byteLength', 0)}")


def apply_fixes(results, artifacts, out):
    """Applies the first fix of each result to copies of the artifacts."""
    edits = {}
    for result in results:
        for change in (result.get("fixes") or [{}])[0].get("artifactChanges", []):
            path = artifacts.path(change["artifactLocation"])
            for rep in change["replacements"]:
                region = rep["deletedRegion"]
                edit = (region["byteOffset"], region.get("byteLength", 0),
                        rep.get("insertedContent", {}).get("text", ""))
                edits.setdefault(path, set()).add(edit)
    for path, changes in edits.items():
        data = artifacts.text({"uri": "file://" + urllib.parse.quote(path)})
        text = data
        for start, length, new in sorted(changes, reverse=True):
            text = text[:start] + new.encode("utf-8") + text[start + length:]
        target = os.path.join(out, os.path.relpath(path, artifacts.root))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as f:
            f.write(text)


def main():
    parser = argparse.ArgumentParser(usage=__doc__)
    parser.add_argument("log")
    parser.add_argument("--root")
    parser.add_argument("--apply")
    args = parser.parse_args()
    with open(args.log) as f:
        log = json.load(f)

    if not check_object("log", log, "sarifLog", ["version", "runs"]):
        return 1
    if log.get("version") != "2.1.0":
        problem("log", f"version {log.get('version')!r} is not '2.1.0'")
    if "$schema" in log:
        check_uri("log.$schema", log["$schema"], absolute=True)
    runs = log.get("runs")
    if not isinstance(runs, list):
        problem("log", "'runs' must be an array")
        runs = []
    rule_count = result_count = 0
    for r, run in enumerate(runs):
        where = f"runs[{r}]"
        if not check_object(where, run, "run", ["tool"]):
            continue
        if "columnKind" in run and run["columnKind"] not in COLUMN_KINDS:
            problem(where, f"columnKind {run['columnKind']!r} is not one of {sorted(COLUMN_KINDS)}")
        base_ids = run.get("originalUriBaseIds", {})
        for name, base in base_ids.items():
            here = f"{where}.originalUriBaseIds[{name}]"
            check_artifact_location(here, base, base_ids)
            if not str(base.get("uri", "")).endswith("/"):
                problem(here, "a base URI must end with '/'")
        tool = run.get("tool")
        if not check_object(where + ".tool", tool, "tool", ["driver"]):
            continue
        driver = tool.get("driver")
        if not check_object(where + ".tool.driver", driver, "toolComponent", ["name"]):
            continue
        for name in ("name", "version", "semanticVersion"):
            check_string(where + ".tool.driver", driver, name)
        if "informationUri" in driver:
            check_uri(where + ".tool.driver.informationUri", driver["informationUri"], True)
        rule_ids = check_rules(where + ".tool.driver", driver)
        rule_count += len(rule_ids)
        artifacts = Artifacts(args.root, base_ids)
        results = run.get("results") or []
        for i, result in enumerate(results):
            here = f"{where}.results[{i}]"
            check_result(here, result, rule_ids, base_ids, artifacts.locate)
            loc = (result.get("locations") or [{}])[0].get("physicalLocation", {})
            region = loc.get("region", {})
            print(f"{result.get('ruleId')} {urllib.parse.unquote(loc.get('artifactLocation', {}).get('uri', '?'))}:"
                  f"{region.get('startLine')}:{region.get('startColumn')} {result.get('level')} "
                  f"fixes={len(result.get('fixes', []))} "
                  f"related={len(result.get('relatedLocations', []))}")
        result_count += len(results)
        if args.apply and not PROBLEMS:
            apply_fixes(results, artifacts, args.apply)
    for p in PROBLEMS:
        print("sarif: problem: " + p)
    print(f"sarif: {result_count} results, {rule_count} rules, {len(PROBLEMS)} problems")
    return 1 if PROBLEMS else 0


if __name__ == "__main__":
    sys.exit(main())
