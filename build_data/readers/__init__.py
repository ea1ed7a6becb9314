"""One reader per publisher file format, chosen by the layout a release names."""
from . import audit_indicators, cpes_scores, published_figures

READERS = {
    "cpes_scores": cpes_scores.read,
    "audit_indicators": audit_indicators.read,
    "published_figures": published_figures.read,
}
