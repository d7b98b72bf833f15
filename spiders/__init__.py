"""Acquisition: the config-driven directory spider, its extractors and Scrapy components."""
