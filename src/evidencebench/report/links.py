"""Addresses a reader can follow: DOIs at doi.org, PMIDs at PubMed, PMCIDs at PubMed Central.

A DOI printed as text has to be copied by hand; the resolvers are the stable way in. Values
are taken as checked (`check` validates their form) and percent-encoded only where a URL
needs it, so an odd DOI never becomes markup or a different address.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

DOI_RESOLVER = "https://doi.org/"
PUBMED = "https://pubmed.ncbi.nlm.nih.gov/"
PMC = "https://pmc.ncbi.nlm.nih.gov/articles/"


def doi_url(doi: str | None) -> str | None:
    """The resolver url of a well-formed DOI, None otherwise (never a link built from garbage)."""
    doi = (doi or "").strip()
    return DOI_RESOLVER + quote(doi, safe="/:;()._-") if re.match(r"10\.\d{4,9}/\S+$", doi) else None


def pubmed_url(pmid: str | None) -> str | None:
    """The PubMed page of a PMID, None when it is not one."""
    pmid = (pmid or "").strip()
    return f"{PUBMED}{pmid}/" if pmid.isdigit() else None


def pmc_url(pmcid: str | None) -> str | None:
    """The PubMed Central page of a PMCID, None when it is not one."""
    pmcid = (pmcid or "").strip().upper()
    return f"{PMC}{pmcid}/" if re.fullmatch(r"PMC\d+", pmcid) else None


def safe_url(url: str | None) -> str | None:
    """Only http(s) addresses become links; anything else (javascript:, data:) stays text."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None
