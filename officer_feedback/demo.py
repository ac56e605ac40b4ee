"""Example contacts for the demo counties (`load_demo`): made up, and marked as examples.

The districts are the example partner districts of agreements/demo.py (found or
made by name, so either may run first).

Phone numbers are in the 555-0100 to 555-0199 range reserved for fiction and
addresses are at example.org, so nobody's real office gets a call or an email.
"""

from programs.models import Partnership, Program

from .models import ProfessionalStandardsContact, SchoolMattersContact

EXAMPLES = {
    "st-charles-county": {
        "standards": {
            "unit": "Office of Professional Standards (example)",
            "phone": "+16365550150",
            "email": "professional-standards@example.org",
            "address": "Example Office of Professional Standards\n100 Example Street\nSt. Charles, MO 63301",
            "hours": "Monday to Friday, 8 a.m. to 4:30 p.m.",
            "notes": "An example: the real unit's details are not on this demo site.",
        },
        "districts": {
            "Example School District (St. Charles County)": {
                "office": "Office of Student Services (example)",
                "phone": "+16365550160",
                "email": "student-services@example.org",
                "address": "Example School District\n200 Example Avenue\nSt. Peters, MO 63376",
            }
        },
    },
    "jefferson-county": {
        "standards": {
            "unit": "Internal Affairs Unit (example)",
            "phone": "+16365550170",
            "email": "internal-affairs@example.org",
            "address": "Example Internal Affairs Unit\n300 Example Road\nHillsboro, MO 63050",
            "hours": "Monday to Friday, 8 a.m. to 5 p.m.",
            "notes": "An example: the real unit's details are not on this demo site.",
        },
        "districts": {
            "Example R-1 School District (Jefferson County)": {
                "office": "Assistant Superintendent for Student Services (example)",
                "phone": "+16365550180",
                "email": "r1-district-office@example.org",
                "address": "Example R-1 School District\n400 Example Lane\nArnold, MO 63010",
            },
            "Example C-2 School District (Jefferson County)": {
                "office": "Director of Student Services (example)",
                "phone": "+16365550181",
                "email": "c2-district-office@example.org",
                "address": "Example C-2 School District\n500 Example Drive\nHillsboro, MO 63050",
            },
        },
    },
}


def load():
    """Write the examples, bringing edited ones back (idempotent, like `load_demo --reset`)."""
    for slug, data in EXAMPLES.items():
        program = Program.objects.filter(slug=slug).select_related("agency").first()
        if program is None:
            continue
        ProfessionalStandardsContact.objects.update_or_create(
            agency=program.agency, defaults={**data["standards"], "is_example": True}
        )
        for district, contact in data["districts"].items():
            partnership, _ = Partnership.objects.get_or_create(program=program, district=district)
            SchoolMattersContact.objects.update_or_create(
                partnership=partnership, defaults={**contact, "is_example": True}
            )
