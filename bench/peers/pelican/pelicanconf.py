# Pelican's side of bench/peers.py: the benchmark corpus (make_corpus.py --format pelican)
# with its default theme: article pages with highlighted code, a paginated index,
# category pages and an Atom feed. Pelican has no related posts without a plugin.
SITENAME = "Bench"
SITEURL = "https://bench.example.com"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = 10
ARTICLE_URL = "plog/{slug}/"
ARTICLE_SAVE_AS = "plog/{slug}/index.html"
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TAG_SAVE_AS = ""
TAGS_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.codehilite": {"css_class": "highlight"},
        "markdown.extensions.fenced_code": {},
        "markdown.extensions.toc": {},
    },
    "output_format": "html5",
}
# Pelican's incremental mode: parsed content is cached between runs
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
