"""The Officer admin's "Import" pages (django-import-export): a spreadsheet of
officers and their schools, previewed, then confirmed. Rows go into one of
the editor's own agencies, chosen on the form (programs/officer_import.py)."""

import os

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.shortcuts import redirect
from django.urls import reverse
from import_export.admin import ImportMixin
from import_export.forms import ConfirmImportForm, ImportForm
from import_export.tmp_storages import CacheStorage

from ..models import Agency
from ..officer_import import FORMATS, OfficerResource, SpreadsheetError, read_spreadsheet, too_large_message
from .scoping import scope_queryset

AGENCY_HELP = "The officers in the file are added to this agency, or updated in it."


class OfficerImportForm(ImportForm):
    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), help_text=AGENCY_HELP)
    field_order = ["resource", "agency", "import_file", "format"]

    def __init__(self, formats, resources, agencies=None, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.formats = formats
        self.fields["import_file"].help_text = "A CSV file (saved as UTF-8) or an Excel workbook (.xlsx)."
        self.fields["agency"].queryset = agencies
        if len(agencies) == 1:
            # Nothing to choose: no empty "---------" choice beside the one agency.
            self.fields["agency"].initial = agencies[0].pk
            self.fields["agency"].empty_label = None

    def clean(self):
        cleaned = super().clean()
        upload, choice = cleaned.get("import_file"), cleaned.get("format")
        if upload is None or choice in (None, ""):
            return cleaned
        # The checks of a whole file, before django-import-export reads it: a bad file changes nothing.
        if upload.size > settings.IMPORT_MAX_BYTES:
            self.add_error("import_file", too_large_message(upload.name, upload.size))
            return cleaned
        try:
            read_spreadsheet(upload.read(), upload.name, self.formats[int(choice)])
        except SpreadsheetError as error:
            self.add_error("import_file", str(error))
        finally:
            upload.seek(0)
        return cleaned


class OfficerConfirmImportForm(ConfirmImportForm):
    # Checked again on confirmation: a hidden field can be edited by anyone.
    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), widget=forms.HiddenInput)

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class OfficerImportMixin(ImportMixin):
    resource_classes = [OfficerResource]
    import_form_class = OfficerImportForm
    confirm_form_class = OfficerConfirmImportForm
    import_template_name = "admin/programs/officer/import.html"
    import_error_display = ("message",)
    # Kept in the shared cache between preview and confirmation, so any instance can confirm (24 hours at most).
    tmp_storage_class = CacheStorage

    @property
    def import_formats(self):
        return FORMATS

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def import_agencies(self, request):
        return scope_queryset(Agency.objects.order_by("name"), "pk", request.user)

    def get_import_form_kwargs(self, request):
        return {**super().get_import_form_kwargs(request), "agencies": self.import_agencies(request)}

    def get_confirm_form_kwargs(self, request, import_form=None):
        return {**super().get_confirm_form_kwargs(request, import_form), "agencies": self.import_agencies(request)}

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["agency"] = import_form.cleaned_data["agency"].pk
        return initial

    def get_import_resource_kwargs(self, request, form=None, **kwargs):
        cleaned = getattr(form, "cleaned_data", None) or {}
        return {"agency": cleaned.get("agency")}

    def get_import_data_kwargs(self, **kwargs):
        # A row that fails on confirmation (the data changed since the preview) saves nothing at all.
        return {**super().get_import_data_kwargs(**kwargs), "rollback_on_validation_errors": True}

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            messages.error(
                request,
                "Nothing was imported: the officers or schools changed since the preview. "
                "Upload the file again to see what no longer fits.",
            )
            return redirect(reverse("admin:programs_officer_import"))
        return super().process_result(result, request)

    def process_import(self, request, **kwargs):
        name = os.path.basename(request.POST.get("import_file_name", ""))
        if request.method == "POST" and name and cache.get(CacheStorage.CACHE_PREFIX + name) is None:
            messages.error(request, "The uploaded file is no longer here (it waited too long). Upload it again.")
            return redirect(reverse("admin:programs_officer_import"))
        return super().process_import(request, **kwargs)
