"""The problem codes: every ``code`` a ``runload.errors.Problem`` can carry, and what each
means. One registry, so the codes stay stable (scripts and the terminal's grouping rely on
them) and the table in docs/inputs.md is made from it (``codes_table``; rewritten by
``python tools/problem_codes_docs.py``, and ``tests/test_problem_codes.py`` fails when the
table or a code used in the source drifts from here).

A code is ``area.what``: the area is the kind of input (``fit``, ``gpx``, ``gzip``, ``zip``,
``log``, ``garmin``...) or the step (``input``, ``report``, ``period``...). The message of a
problem says the specifics (the byte, the line, the value); the code says which kind of
problem it is, so the terminal groups by it: 2,000 gzip errors that each quote different
bytes are one kind, ``gzip.bad``. A ``Problem`` made without a code gets ``fallback_code``:
``<kind>.other`` after the file's name (``fit.other``, ``json.other``...).
"""

from __future__ import annotations

# code → what it means (one line; the docs table's second column)
CODES: dict[str, str] = {
    # finding and opening inputs
    "input.missing": "no such file or folder",
    "input.not_regular": "a pipe, device, socket or folder where a file was expected: not read",
    "input.unreadable": "the file or folder cannot be read (permission, I/O error)",
    "input.too_big": "bigger than any activity or sitting file once decompressed: refused",
    "input.other": "another problem with an input (a code not yet given to a new check)",
    "gzip.bad": "a .gz file that is not readable gzip",
    "zip.bad": "a zip archive, or a member of one, that cannot be read or unpacked",
    "read.failed": "the reader failed on this file (a bug or no memory): only this file lost",
    "read.worker_died": "the process reading this file died (every retry): only this file lost",
    "cache.failed": "the parse cache could not be written: results are right, the next run slower",
    # FIT activity and monitoring files
    "fit.empty": "an empty file",
    "fit.not_fit": "not a FIT file (no .FIT signature)",
    "fit.bad_header": "the FIT header cannot be read (bad size, cut inside it)",
    "fit.header_crc": "the FIT header's CRC is wrong: read anyway",
    "fit.data_size_zero": "the header gives a data size of 0: the whole file is read",
    "fit.truncated": "the file is shorter than its header says: what is there is kept",
    "fit.crc_missing": "the file CRC is missing at the end",
    "fit.crc": "the file CRC is wrong (damaged?): data read without the check",
    "fit.trailing": "bytes after the last FIT segment that are not FIT: ignored",
    "fit.damaged": "a message cannot be decoded: what was read before it is kept",
    "fit.nothing_read": "damaged before anything usable could be read",
    "fit.not_activity": "a FIT file that is not an activity (settings, workout, weight...)",
    "fit.no_data": "an activity file with no session and no records",
    "fit.no_session": "no session message: the session is built from the records",
    "fit.run_from_records": "no sport or session message: counted as a run from its records",
    "fit.no_sport": "no sport or session message: listed, not counted as a run",
    "fit.end_before_start": "a session's end time is not after its start: its elapsed time "
    "places its records (a note)",
    "fit.end_unknown": "a session with neither an end time after its start nor an elapsed time",
    "fit.records_after_sessions": "records after the last session that the file's counts leave "
    "no room for: left out (a note)",
    "fit.developer_standin": "a Connect IQ field used for an absent or 0 native field",
    "fit.no_start": "a session without a usable start time (watch clock not set?)",
    "fit.other": "another problem with a FIT file",
    "monitoring.no_local_time": "a monitoring file without local time: its times read as UTC",
    "monitoring.coverage": "monitoring covers less than half the waking window: day unknown",
    # what ingest says about any activity
    "activity.filled": "values the session message lacks, filled in from its records",
    "activity.hr_dropout": "a heart rate outside 30-240 bpm (a dropout): not used",
    "activity.no_hr_sensor": "a session whose heart rate is 0 throughout: no sensor",
    "activity.stray_date": "dated before 2000, after today or far from the season: left out",
    # GPX and TCX
    "gpx.xml": "a GPX file that is not well-formed XML (or not UTF-8)",
    "gpx.invalid": "a GPX file whose content cannot be read (a bad time or number)",
    "gpx.other": "another problem with a GPX file",
    "tcx.xml": "a TCX file that is not well-formed XML",
    "tcx.invalid": "a TCX file whose content cannot be read (missing sport, a bad value)",
    "tcx.other": "another problem with a TCX file",
    "track.no_points": "a GPX or TCX file without track points",
    "track.no_times": "a GPX or TCX track without time stamps (or too few)",
    "track.untimed_points": "track points without a time stamp: left out",
    "track.late_points": "track points more than 48 hours after the start: left out",
    # sitting: text, JSON and tables
    "text.encoding": "a text file read as UTF-16 or Windows-1252, or that is no text at all",
    "json.bad": "broken JSON",
    "json.number": "JSON holding a number too long to read (over 4,300 digits): not read",
    "json.too_deep": "JSON nested too deeply to read",
    "json.other": "another problem with a JSON file",
    "csv.quote": "a quote that never closes or closes mid-value: the row is not used",
    "csv.other": "another problem with a CSV file",
    "xml.other": "another problem with an XML file",
    "sitting.unsupported": "a file that is no sitting source runload reads",
    "sitting.none_found": "a folder or archive given as sitting that holds none",
    "sitting.unreadable": "a sitting source that cannot be read",
    "sitting.clash": "two sources of the same rank give a day different hours",
    "sitting.future": "sitting days dated after today (a typo in the year?): left out",
    "sitting.none_read": "sitting sources were given but no day was read",
    "sitting.no_overlap": "the sitting and the runs cover different periods",
    # the manual sitting log
    "log.empty": "a sitting log without a header row",
    "log.missing_columns": "a sitting log without the date or hours column",
    "log.extra_values": "a row with more values than the header has columns: not used",
    "log.comma_doubt": "a short row whose hours may be a decimal comma (9,5): read as written",
    "log.bad_value": "a row with a value runload cannot read or trust: not used",
    "log.bad_item": "a JSON log item that is not an object: not used",
    "log.repeated_date": "the same date twice with the same values: kept once",
    "log.conflicting_date": "the same date twice with different values: neither used",
    # device exports
    "garmin.no_date": "a Garmin day object without calendarDate",
    "garmin.bad_date": "a Garmin calendarDate that is not a date",
    "garmin.no_wellness": "a Garmin day without wellness data (not worn): day unknown",
    "garmin.bad_value": "a Garmin sedentarySeconds that is not a number or out of range",
    "fitbit.bad_entry": "a Fitbit entry or row runload cannot read (no date, no value): left out",
    "fitbit.out_of_range": "a Fitbit value out of its range (sedentary minutes, resting HR)",
    "fitbit.not_worn": "a Fitbit day with 1440 sedentary minutes or 0 steps: dropped",
    "fitbit.after_export": "a Fitbit day after the export date: dropped",
    "fitbit.many_people": "a Fitbit CSV with several people: only the first is read",
    "fitbit.sleep_included": "Fitbit sedentary minutes that include sleep: sleep taken out",
    "fitbit.not_a_log": "a file named like a Fitbit exercise log that is not one (not JSON...)",
    "fitbit.empty_log": "an empty Fitbit exercise log",
    "fitbit.entry_value": "an exercise-log value runload cannot use (distance, HR, pace): said",
    "fitbit.clock_change": "an exercise-log start a clock change made ambiguous or skipped",
    "fitbit.no_zone": "exercise-log wall times placed in this machine's zone (no timezone set)",
    "apple.xml": "an Apple Health export that is not well-formed XML (cut short?)",
    "apple.unreadable": "an Apple Health export (or its zip) that cannot be read",
    "apple.bad_record": "stand-hour records that cannot be used: skipped",
    "apple.no_stand_hours": "an Apple Health export without stand hours",
    "apple.cut_short": "an Apple Health export broken part-way: the days before are kept",
    "apple.coverage": "stand hours cover less than half the waking window: day unknown",
    # the report and the squad
    "report.no_activities": "no activity could be read: nothing to report",
    "report.no_runs": "activities but no runs: no running load",
    "period.reversed": "--from is after --to",
    "period.outside": "--from/--to lie outside the data",
    "team.left_out": "an athlete of the squad not reported, and why",
}

# The kind a fallback code is named after, by the end of the file's name (a zip member's
# name ends the shown name: ``export.zip:DI_CONNECT/x.json`` is JSON).
_KIND_BY_SUFFIX = (
    ((".fit", ".fit.gz"), "fit"),
    ((".gpx", ".gpx.gz"), "gpx"),
    ((".tcx", ".tcx.gz"), "tcx"),
    ((".json",), "json"),
    ((".csv", ".txt", ".tsv"), "csv"),
    ((".xml",), "xml"),
)


def fallback_code(path: str) -> str:
    """The code of a problem made without one: ``<kind>.other`` after the end of ``path``
    (``fit.other``, ``gpx.other``, ``json.other``...), else ``input.other``."""
    low = path.lower()
    kind = next((k for suffixes, k in _KIND_BY_SUFFIX if low.endswith(suffixes)), "input")
    return f"{kind}.other"


def codes_table() -> str:
    """The codes as a Markdown table, in registry order (the docs table)."""
    lines = ["| code | what it means |", "|---|---|"]
    lines += [f"| `{code}` | {what} |" for code, what in CODES.items()]
    return "\n".join(lines) + "\n"
