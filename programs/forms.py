from django import forms


class SchoolSearchForm(forms.Form):
    q = forms.CharField(
        label="School name or city",
        max_length=100,
        min_length=2,
        help_text="For example: Hillsboro, or the first word of the school's name.",
        error_messages={
            "required": "Enter a school name or a city to search.",
            "min_length": "Enter at least 2 letters of a school name or city.",
            "max_length": "Enter at most 100 characters.",
        },
    )

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())
