"""Every public page the accessibility and HTML checks visit, with the demo
data loaded (`load_demo`). Add a page here and both checks cover it."""

PUBLIC_PAGES = {
    "home": "/",
    "program-st-charles": "/programs/st-charles-county/",
    "program-jefferson": "/programs/jefferson-county/",
    "topic-list": "/topics/",
    "topic": "/topics/driver-safety/",
    "school-search": "/schools/",
    "school-search-results": "/schools/?q=example",
    "school-search-no-results": "/schools/?q=atlantis",
    "school-search-with-errors": "/schools/?q=x",
    "school": "/schools/example-middle-st-charles/",
    "not-found": "/no-such-page/",
}
