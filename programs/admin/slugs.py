"""Web addresses (slugs) made from the name when the editor leaves them empty.

The admin's script fills the slug as the name is typed (`prepopulated_fields`);
this does the same on the server, for a browser without the script or an
editor who cleared the field, and finds a free one when the name is taken.
"""

from django.utils.text import slugify

SLUG_HELP = "Leave it empty to make it from the name."


def free_slug(model, text, exclude_pk=None):
    field = model._meta.get_field("slug")
    base = (slugify(text) or model._meta.model_name)[: field.max_length - 4].strip("-")
    taken = set(
        model._default_manager.filter(slug__startswith=base).exclude(pk=exclude_pk).values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


class SlugFromNameMixin:
    slug_source = "name"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if "slug" in form.base_fields:
            form.base_fields["slug"].required = False
            field = form.base_fields["slug"]
            field.help_text = f"{field.help_text} {SLUG_HELP}".strip()
        return form

    def save_model(self, request, obj, form, change):
        if not obj.slug:
            obj.slug = free_slug(type(obj), getattr(obj, self.slug_source), exclude_pk=obj.pk)
        super().save_model(request, obj, form, change)
