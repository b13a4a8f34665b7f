"""Readers that turn what a researcher has into articles: saved web pages, WARC archives, scraper JSON,
news-archive CSV exports. Each reader yields `Article`s (see `records`); the `import` command
(newslens.commands.import_cmd) writes them as a corpus folder.

    html        .html / .htm saved pages: trafilatura (main text + metadata, dates through htmldate)
    warc        .warc / .warc.gz archives: warcio, each HTML response record as a saved page
    scraper     JSON Lines / JSON of news-please (`maintext`, `date_publish`, ...) and newspaper
                (`text`, `publish_date`, ...)
    archive_csv CSV exports of Media Cloud (`stories_id`, `publish_date`, `media_name`, ...)

The extraction libraries are imported inside these modules only, never by the analyze path.
"""
