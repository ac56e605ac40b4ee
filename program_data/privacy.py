"""Which counts about students may be published, and which must stay hidden.

The rule (stated on the pages and in README.md, "Yearly figures"):

1. A count about students from 1 to T - 1 (T = SMALL_COUNT_THRESHOLD, 10 by
   default) is never published: the page says "fewer than 10". Zeros are
   published, so a total of zero is shown as zero.
2. Complementary suppression. The groups of a breakdown (race or ethnicity,
   sex, disability, English learner status, schools) add up to the total.
   Whenever a hidden count could be worked out from the total and the
   counts shown beside it, the next-smallest count shown in that breakdown
   is hidden as well ("not shown"), and again until none can be; when no
   count is left to hide (every other one is zero, or the total itself is
   fewer than 10), the breakdown is not shown at all.

"Worked out" is checked exactly, not by counting unknowns: a reader knows
the numbers shown, that a "fewer than 10" count is between 1 and 9, that a
"not shown" count is at least 10 and (by the rule) no larger than the
smallest count shown beside it, and that every breakdown adds up to the
total, which all breakdowns of a measure share. Two counts hidden in one
breakdown are not enough when they could only be 1 and 1 (they add up to
2), or 9 and 9; the check below catches those. tests/program_data/test_privacy.py
holds the rule to that, with hypothesis and a brute-force reader.

Each measure of each year is protected on its own: a reader who combines two
measures (every arrest is also a referral, so a group's arrests shown as 12
mean at least 12 referrals in that group) is not modelled.
"""

from dataclasses import dataclass, field

SHOWN = "shown"
SMALL = "small"  # 1 to T - 1: "fewer than 10"
HIDDEN = "hidden"  # hidden so that a small count cannot be worked out: "not shown"


@dataclass
class Protection:
    """What may be published of one measure's total and breakdowns."""

    total: str
    cells: dict[str, dict[str, str]]  # breakdown -> group -> SHOWN, SMALL or HIDDEN
    withheld: set[str] = field(default_factory=set)  # breakdowns not shown at all


def protect(total, breakdowns, threshold):
    """`total`: a count of students; `breakdowns`: {breakdown: {group: count}}, each adding up to `total`."""
    if threshold < 3:
        raise ValueError("A threshold below 3 cannot hide anything: 'fewer than 2' says it is 1.")
    for key, groups in breakdowns.items():
        if sum(groups.values()) != total:
            raise ValueError(f"The {key} breakdown adds up to {sum(groups.values())}, not {total}.")

    def small(count):
        return 0 < count < threshold

    protection = Protection(
        total=SMALL if small(total) else SHOWN,
        cells={
            key: {group: SMALL if small(n) else SHOWN for group, n in groups.items()}
            for key, groups in breakdowns.items()
        },
    )
    while (key := _breakdown_giving_away(total, breakdowns, protection, threshold)) is not None:
        statuses = protection.cells[key]
        # The next-smallest count shown (in the breakdown's own order when two are equal).
        candidates = [
            (n, order, group)
            for order, (group, n) in enumerate(breakdowns[key].items())
            if statuses[group] == SHOWN and n > 0
        ]
        if candidates:
            statuses[min(candidates)[2]] = HIDDEN
        else:
            protection.withheld.add(key)
    return protection


def reader_bounds(statuses, counts, total, total_shown, threshold):
    """What a reader of the page knows of each hidden count of one breakdown: {group: (least, most)}."""
    shown = [counts[g] for g, s in statuses.items() if s == SHOWN and counts[g] > 0]
    ceiling = min(shown + ([total] if total_shown else []), default=None)
    bounds = {}
    for group, status in statuses.items():
        if status == SMALL:
            bounds[group] = (1, threshold - 1)
        elif status == HIDDEN:
            # Only shown counts, all at least the threshold, are ever hidden with a small one;
            # the smallest first, so no larger than any count still shown.
            bounds[group] = (threshold, ceiling)
    return bounds


def _breakdown_giving_away(total, breakdowns, protection, threshold):
    """A breakdown from which a hidden count (or the hidden total) can be worked out exactly, or None."""
    total_shown = protection.total == SHOWN
    known = {}
    for key, groups in breakdowns.items():
        if key in protection.withheld:
            continue
        statuses = protection.cells[key]
        shown_sum = sum(groups[g] for g, s in statuses.items() if s == SHOWN)
        known[key] = (shown_sum, reader_bounds(statuses, groups, total, total_shown, threshold))

    # The total: exactly known when shown; else 1 to T - 1, narrowed by each breakdown.
    least, most = (total, total) if total_shown else (1, threshold - 1)
    for shown_sum, bounds in known.values():
        least = max(least, shown_sum + sum(lo for lo, _ in bounds.values()))
        most = min(most, shown_sum + sum(hi for _, hi in bounds.values()))
    if not total_shown and least >= most:
        # The breakdown that pins the hidden total: the one whose hidden counts must add up to the most.
        return max(known, key=lambda k: known[k][0] + sum(lo for lo, _ in known[k][1].values()))

    for key, (shown_sum, bounds) in known.items():
        all_least = sum(lo for lo, _ in bounds.values())
        all_most = sum(hi for _, hi in bounds.values())
        for lo, hi in bounds.values():
            # Its possible values: what the total leaves once the others take their most, or their least.
            can_be_least = max(lo, least - shown_sum - (all_most - hi))
            can_be_most = min(hi, most - shown_sum - (all_least - lo))
            if can_be_least >= can_be_most:
                return key
    return None
