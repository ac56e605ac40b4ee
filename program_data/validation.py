"""The shape of a year's figures, and the rules they keep.

    {"referrals": {"count": 23, "by": {"race": {"black": 6, ...}, "school": {"12": 15, ...}}},
     "use_of_force": {"count": None}}  # None: not collected, which is not zero

A breakdown's groups add up to the total (a group left out counts as 0); a
measure not in the document was not collected.
"""

from .measures import AT_MOST, BY_KEY, DIMENSIONS_BY_KEY, SCHOOL_DIMENSION


def breakdown_keys(measure):
    """The breakdowns a measure may have, in the order pages show them."""
    keys = [d for d in DIMENSIONS_BY_KEY] if measure.by_group else []
    return keys + ([SCHOOL_DIMENSION] if measure.by_school else [])


def _is_count(value):
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def figure_errors(figures, school_ids=None):
    """{(measure, breakdown or None): message} for every rule broken; {} when the figures are sound.

    `school_ids`: the ids of the schools per-school figures may name (the program's agency's), or None.
    """
    if not isinstance(figures, dict):
        return {(None, None): "The figures must be a JSON object keyed by measure."}
    errors = {}
    for key, entry in figures.items():
        measure = BY_KEY.get(key)
        if measure is None:
            errors[(key, None)] = f"“{key}” is not a measure this site knows."
            continue
        if not isinstance(entry, dict) or not (entry.get("count") is None or _is_count(entry.get("count"))):
            errors[(key, None)] = f"{measure.label}: the count must be a whole number, 0 or more, or not collected."
            continue
        count = entry.get("count")
        for breakdown, groups in (entry.get("by") or {}).items():
            message = _breakdown_error(measure, count, breakdown, groups, school_ids)
            if message:
                errors[(key, breakdown)] = f"{measure.label}, {_breakdown_label(breakdown)}: {message}"
    for smaller, larger in AT_MOST.items():
        small_count = (figures.get(smaller) or {}).get("count")
        large_count = (figures.get(larger) or {}).get("count")
        if _is_count(small_count) and _is_count(large_count) and small_count > large_count:
            errors.setdefault(
                (smaller, None),
                f"{BY_KEY[smaller].label} ({small_count}) cannot be more than "
                f"{BY_KEY[larger].label.lower()} ({large_count}).",
            )
    return errors


def _breakdown_label(breakdown):
    if breakdown == SCHOOL_DIMENSION:
        return "by school"
    dimension = DIMENSIONS_BY_KEY.get(breakdown)
    return f"by {dimension.label}" if dimension else breakdown


def _breakdown_error(measure, count, breakdown, groups, school_ids):
    if breakdown not in breakdown_keys(measure):
        return "this measure has no such breakdown."
    if not isinstance(groups, dict) or not all(_is_count(n) for n in groups.values()):
        return "each group's count must be a whole number, 0 or more."
    if breakdown == SCHOOL_DIMENSION:
        if school_ids is not None and not all(k.isdigit() and int(k) in school_ids for k in groups):
            return "per-school figures must name the schools of the program's agency."
    else:
        known = {c.key for c in DIMENSIONS_BY_KEY[breakdown].categories}
        if not set(groups) <= known:
            return f"unknown group(s): {', '.join(sorted(set(groups) - known))}."
    if count is None:
        return "a breakdown needs the total it breaks down; enter the total, or leave the breakdown empty."
    if sum(groups.values()) != count:
        return (
            f"the groups add up to {sum(groups.values())}, but the total is {count}. Each student in the total "
            "belongs to exactly one group (an empty box counts as 0)."
        )
    return ""
