"""Uploaded photos: real images only, metadata (GPS) stripped, renditions served with srcset, old files removed."""

from io import BytesIO

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from programs.images import rendition_name
from tests.factories import OfficerFactory, PhotoFactory, ProgramFactory

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825


def jpeg_with_gps(width=800, height=600):
    image = Image.new("RGB", (width, height), "navy")
    exif = Image.Exif()
    exif[0x010F] = "Example Camera Co."  # Make
    gps = exif.get_ifd(GPS_IFD)
    gps[1], gps[2], gps[3], gps[4] = "N", (38.0, 47.0, 12.0), "W", (90.0, 29.0, 3.0)
    buffer = BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    data = buffer.getvalue()
    assert Image.open(BytesIO(data)).getexif().get_ifd(GPS_IFD)  # the test photo really carries a position
    return SimpleUploadedFile("officer.jpg", data, content_type="image/jpeg")


def stored_image(name):
    with default_storage.open(name) as f:
        return Image.open(BytesIO(f.read()))


def test_gps_and_camera_data_are_stripped_on_upload():
    officer = OfficerFactory(photo=jpeg_with_gps(), photo_alt="Deputy in uniform")
    stored = stored_image(officer.photo.name)
    assert dict(stored.getexif()) == {}
    assert not stored.getexif().get_ifd(GPS_IFD)
    assert (officer.photo_width, officer.photo_height) == (800, 600)


def test_renditions_are_written_in_webp_and_jpeg():
    officer = OfficerFactory(photo=jpeg_with_gps(width=800), photo_alt="Deputy in uniform")
    for width in (320, 640, 800):
        for extension, image_format in (("webp", "WEBP"), ("jpg", "JPEG")):
            rendition = stored_image(rendition_name(officer.photo.name, width, extension))
            assert (rendition.format, rendition.width) == (image_format, width)
            assert not rendition.getexif().get_ifd(GPS_IFD)


def test_public_page_serves_responsive_lazy_images_with_alt_text(client):
    program = ProgramFactory()
    OfficerFactory(agency=program.agency, photo=jpeg_with_gps(), photo_alt="Deputy Lee smiling")
    PhotoFactory(program=program, image=jpeg_with_gps(width=1600, height=900), alt_text="Officer with students")
    html = client.get(program.get_absolute_url()).content.decode()
    assert '<source type="image/webp" srcset="' in html
    assert "-320.webp 320w" in html and "-1280.webp 1280w" in html
    assert 'alt="Deputy Lee smiling" width="800" height="600" loading="lazy"' in html
    assert 'alt="Officer with students" width="1600" height="900" loading="lazy"' in html


def all_files(photo_name):
    return [photo_name] + [rendition_name(photo_name, w, ext) for w in (320, 640, 800) for ext in ("webp", "jpg")]


def test_replacing_a_photo_removes_the_old_files(django_capture_on_commit_callbacks):
    officer = OfficerFactory(photo=jpeg_with_gps(), photo_alt="First photo")
    old_name = officer.photo.name
    old_rendition = rendition_name(old_name, 320, "webp")
    assert default_storage.exists(old_rendition)
    with django_capture_on_commit_callbacks(execute=True):
        officer.photo = jpeg_with_gps(width=900)
        officer.save()
    assert not default_storage.exists(old_name)
    assert not default_storage.exists(old_rendition)
    assert default_storage.exists(officer.photo.name)


def test_deleting_a_photo_removes_its_files(django_capture_on_commit_callbacks):
    photo = PhotoFactory(image=jpeg_with_gps())
    name = photo.image.name
    with django_capture_on_commit_callbacks(execute=True):
        photo.delete()
    assert not any(default_storage.exists(f) for f in all_files(name))


def test_files_stay_until_the_delete_is_committed(django_capture_on_commit_callbacks):
    photo = PhotoFactory(image=jpeg_with_gps())
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        photo.delete()
    assert default_storage.exists(photo.image.name)  # a rolled-back delete would lose nothing
    assert callbacks


def test_bulk_and_cascade_deletes_remove_photo_files(django_capture_on_commit_callbacks):
    officers = [OfficerFactory(photo=jpeg_with_gps(), photo_alt="Deputy") for _ in range(2)]
    program_photo = PhotoFactory(image=jpeg_with_gps())
    names = [o.photo.name for o in officers] + [program_photo.image.name]
    with django_capture_on_commit_callbacks(execute=True):
        type(officers[0]).objects.filter(pk__in=[o.pk for o in officers]).delete()  # the admin's bulk delete
        program_photo.program.delete()  # cascades to its photos
    assert not any(default_storage.exists(f) for name in names for f in all_files(name))


def test_a_photo_named_like_another_photos_rendition_leaves_it_alone(django_capture_on_commit_callbacks):
    first = PhotoFactory(image=SimpleUploadedFile("team-640.jpg", jpeg_with_gps().read(), content_type="image/jpeg"))
    second = PhotoFactory(image=SimpleUploadedFile("team.jpg", jpeg_with_gps().read(), content_type="image/jpeg"))
    before = stored_image(first.image.name).size
    with django_capture_on_commit_callbacks(execute=True):
        second.delete()
    assert default_storage.exists(first.image.name)
    assert stored_image(first.image.name).size == before == (800, 600)
    assert all(default_storage.exists(f) for f in all_files(first.image.name))


def test_reverting_an_officer_does_not_bring_back_a_deleted_photo(django_capture_on_commit_callbacks):
    officer = OfficerFactory(photo=jpeg_with_gps(), photo_alt="First photo")
    with django_capture_on_commit_callbacks(execute=True):
        officer.photo = jpeg_with_gps(width=900)
        officer.photo_alt = "Second photo"
        officer.save()
    current = officer.photo.name
    first_version = officer.history.earliest().instance
    with django_capture_on_commit_callbacks(execute=True):
        first_version.save()
    officer.refresh_from_db()
    assert officer.photo.name == current  # the photo in use is kept, with its files
    # And so is its description, in each language (history leaves those columns out): the first
    # photo's words would describe a photo no longer shown.
    assert officer.photo_alt == "Second photo"
    assert default_storage.exists(current)


def upload_officer_photo(client, agency, upload):
    return client.post(
        reverse("admin:programs_officer_add"),
        {
            "agency": agency.pk,
            "first_name": "Pat",
            "last_name": "Lee",
            "role": "sro",
            "is_active": "on",
            "photo": upload,
            "photo_alt_en": "Deputy Lee",
            "assignments-TOTAL_FORMS": 0,
            "assignments-INITIAL_FORMS": 0,
            "trainings-TOTAL_FORMS": 0,
            "trainings-INITIAL_FORMS": 0,
        },
    )


def test_a_file_that_is_not_an_image_is_refused_with_a_clear_message(staff_client):
    agency = ProgramFactory().agency
    fake = SimpleUploadedFile("photo.jpg", b"MZ this is a program, not a photo", content_type="image/jpeg")
    html = upload_officer_photo(staff_client, agency, fake).content.decode()
    assert "Upload a valid image" in html  # Django's image check, before ours
    assert not agency.officers.exists()


def test_a_photo_over_the_size_limit_is_refused(staff_client, settings):
    settings.IMAGE_MAX_BYTES = 1024
    agency = ProgramFactory().agency
    html = upload_officer_photo(staff_client, agency, jpeg_with_gps()).content.decode()
    assert "This photo is larger than 1.0\xa0KB. Save a smaller copy" in html
    assert not agency.officers.exists()


def test_a_tiny_photo_is_refused(staff_client):
    agency = ProgramFactory().agency
    html = upload_officer_photo(staff_client, agency, jpeg_with_gps(width=100, height=100)).content.decode()
    assert "only 100 pixels wide" in html
    assert not agency.officers.exists()


def test_a_valid_upload_through_the_admin_is_stored_clean(staff_client):
    agency = ProgramFactory().agency
    response = upload_officer_photo(staff_client, agency, jpeg_with_gps())
    assert response.status_code == 302
    officer = agency.officers.get()
    assert not stored_image(officer.photo.name).getexif().get_ifd(GPS_IFD)


def test_our_own_check_refuses_unreadable_and_unsupported_files():
    from django.core.exceptions import ValidationError

    from programs.images import validate_photo

    with pytest.raises(ValidationError, match="not a photo we can read"):
        validate_photo(SimpleUploadedFile("x.jpg", b"\xff\xd8\xff garbage"))
    gif = BytesIO()
    Image.new("RGB", (400, 300)).save(gif, "GIF")
    with pytest.raises(ValidationError, match="JPEG, PNG or WebP"):
        validate_photo(SimpleUploadedFile("x.gif", gif.getvalue()))
