"""One reader per publisher file format, chosen by the layout a release (or one of its files) names."""
from . import audit_indicators, cpes_frequencies, cpes_scores, published_figures

READERS = {
    "cpes_scores": cpes_scores.read,
    "cpes_frequencies": cpes_frequencies.read,
    "audit_indicators": audit_indicators.read,
    "published_figures": published_figures.read,
}
# the columns each reader needs a layout to supply (a tuple inside: at least one of those)
REQUIRED_COLUMNS = {
    "cpes_scores": cpes_scores.REQUIRED,
    "cpes_frequencies": cpes_frequencies.REQUIRED,
    "audit_indicators": audit_indicators.REQUIRED,
    "published_figures": published_figures.REQUIRED,
}
