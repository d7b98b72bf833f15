"""Pure data work: the Lead model, normalisation, deduplication, grading, store and export.

Nothing here imports Scrapy or Prefect, so every stage can be tested, benchmarked
and reused (``leads dedup`` on a CRM export) without a crawl or a flow around it.
"""
