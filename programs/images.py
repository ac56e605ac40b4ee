"""Uploaded photos: checked to be real images within limits, re-encoded without
their metadata (camera EXIF, GPS position), and resized into renditions that
pages serve with srcset (WebP, with JPEG for older browsers).

Renditions live next to the photo, named `<stem>-<width>.<ext>`, so a page can
list them from the photo's name and width without a query. Each upload gets a
folder of its own, so one photo's rendition can never share a name with
another photo's file (and overwrite or delete it).
"""

import secrets
from io import BytesIO
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps, UnidentifiedImageError

RENDITION_WIDTHS = (320, 640, 1280)
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
JPEG_QUALITY = 85


def validate_photo(upload):
    """A real JPEG, PNG or WebP image, not too big and not too small, with a clear message if not."""
    if getattr(upload, "_committed", False):
        return  # already stored, and checked when it was uploaded
    if upload.size > settings.IMAGE_MAX_BYTES:
        limit = filesizeformat(settings.IMAGE_MAX_BYTES)
        raise ValidationError(f"This photo is larger than {limit}. Save a smaller copy and upload that.")
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format, (width, height) = image.format, image.size
            if width * height > settings.IMAGE_MAX_PIXELS:
                raise ValidationError(
                    f"This photo is {width}×{height} pixels, more than we can process. "
                    "Resize it to at most 4000 pixels wide and upload it again."
                )
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError("This file is not a photo we can read. Upload a JPEG, PNG or WebP image.") from exc
    finally:
        upload.seek(position)
    if image_format not in ACCEPTED_FORMATS:
        raise ValidationError("Upload the photo as JPEG, PNG or WebP.")
    if width < settings.IMAGE_MIN_WIDTH:
        raise ValidationError(
            f"This photo is only {width} pixels wide; use one at least {settings.IMAGE_MIN_WIDTH} pixels wide "
            "so it stays sharp on phones."
        )


def _folder_of_its_own(prefix, filename):
    return f"{prefix}/{secrets.token_hex(8)}/{PurePosixPath(filename).name}"


def officer_photo_path(instance, filename):
    return _folder_of_its_own("officers", filename)


def program_photo_path(instance, filename):
    return _folder_of_its_own("programs", filename)


def _open_clean(data):
    """The picture alone: upright as the camera meant it, in RGB, with no metadata attached."""
    with Image.open(BytesIO(data)) as image:
        upright = ImageOps.exif_transpose(image)
        if upright.mode in ("RGBA", "LA", "P"):
            flat = Image.new("RGB", upright.size, "white")
            flat.paste(upright.convert("RGBA"), mask=upright.convert("RGBA").split()[-1])
            return flat
        # A new image from the pixels alone carries no EXIF, GPS or ICC data.
        rgb = upright.convert("RGB")
        return Image.frombytes("RGB", rgb.size, rgb.tobytes())


def _encode(image, image_format):
    out = BytesIO()
    if image_format == "WEBP":
        image.save(out, "WEBP", quality=80, method=4)
    else:
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return out.getvalue()


def rendition_name(name, width, extension):
    path = PurePosixPath(name)
    return str(path.with_name(f"{path.stem}-{width}.{extension}"))


def rendition_widths(original_width):
    widths = [w for w in RENDITION_WIDTHS if w < original_width]
    return widths + [min(original_width, RENDITION_WIDTHS[-1])]


def process_upload(field_file):
    """Replace a fresh upload by a clean JPEG and write its renditions. Returns (width, height)."""
    field_file.open("rb")
    data = field_file.read()
    image = _open_clean(data)
    stem = PurePosixPath(field_file.name).stem
    field_file.save(f"{stem}.jpg", ContentFile(_encode(image, "JPEG")), save=False)
    storage = field_file.storage
    for width in rendition_widths(image.width):
        height = round(image.height * width / image.width)
        resized = image if width == image.width else image.resize((width, height), Image.Resampling.LANCZOS)
        for extension, image_format in (("webp", "WEBP"), ("jpg", "JPEG")):
            name = rendition_name(field_file.name, width, extension)
            if storage.exists(name):
                storage.delete(name)
            storage.save(name, ContentFile(_encode(resized, image_format)))
    return image.width, image.height


def delete_with_renditions(storage, name, original_width):
    if not name:
        return
    for width in rendition_widths(original_width or RENDITION_WIDTHS[-1]):
        for extension in ("webp", "jpg"):
            storage.delete(rendition_name(name, width, extension))
    storage.delete(name)


def delete_after_commit(storage, name, original_width):
    """Remove a photo's files once the change that dropped them is saved (not if it rolls back)."""
    if name:
        transaction.on_commit(lambda: delete_with_renditions(storage, name, original_width))


def delete_photo_files(sender, instance, **kwargs):
    """post_delete handler: also runs for the admin's bulk delete and for cascades."""
    field_file = getattr(instance, instance.photo_field)
    delete_after_commit(field_file.storage, field_file.name, getattr(instance, instance.photo_width_field))


def srcsets(field_file, original_width):
    """(webp srcset, jpeg srcset, fallback url) for a processed photo."""
    storage = field_file.storage
    widths = rendition_widths(original_width)
    webp = ", ".join(f"{storage.url(rendition_name(field_file.name, w, 'webp'))} {w}w" for w in widths)
    jpeg = ", ".join(f"{storage.url(rendition_name(field_file.name, w, 'jpg'))} {w}w" for w in widths)
    fallback = storage.url(rendition_name(field_file.name, widths[min(1, len(widths) - 1)], "jpg"))
    return webp, jpeg, fallback


class ProcessedPhotoMixin:
    """For models with one uploaded photo: `photo_field`, `photo_width_field` name the fields."""

    photo_field = "image"
    photo_width_field = "image_width"
    photo_height_field = "image_height"

    def save(self, *args, **kwargs):
        field_file = getattr(self, self.photo_field)
        old = type(self)._default_manager.filter(pk=self.pk).values(self.photo_field, self.photo_width_field).first()
        if field_file and not field_file._committed:
            width, height = process_upload(field_file)
            setattr(self, self.photo_width_field, width)
            setattr(self, self.photo_height_field, height)
        elif not field_file:
            setattr(self, self.photo_width_field, None)
            setattr(self, self.photo_height_field, None)
        super().save(*args, **kwargs)
        if old and old[self.photo_field] and old[self.photo_field] != field_file.name:
            # The photo was replaced or removed: its old files go too.
            delete_after_commit(field_file.storage, old[self.photo_field], old[self.photo_width_field])

    @property
    def photo_srcsets(self):
        return srcsets(getattr(self, self.photo_field), getattr(self, self.photo_width_field))
