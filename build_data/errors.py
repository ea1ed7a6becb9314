"""Errors the build reports to a person: each says what is wrong, where, and how to fix it."""


class BuildError(Exception):
    """The build stopped."""

    exit_code = 2

    def __init__(self, detail: str = "", *, file=None, sheet=None, row=None, column=None, fix=None,
                 line=None, key=None):
        self.detail = detail
        self.file, self.sheet, self.row, self.column, self.fix = file, sheet, row, column, fix
        self.line, self.key = line, key     # a metadata file's line number and key (YAML)
        super().__init__(self.message())

    def message(self) -> str:
        where = [f"{k} {v}" for k, v in (("file", self.file), ("sheet", self.sheet), ("line", self.line),
                                          ("row", self.row), ("column", self.column), ("key", self.key))
                 if v not in (None, "")]
        parts = [f"{type(self).__name__}: {(self.__doc__ or '').strip()}"]
        if self.detail:
            parts.append(self.detail)
        if where:
            parts.append("Where: " + ", ".join(str(w) for w in where) + ".")
        if self.fix:
            parts.append("Fix: " + self.fix)
        return "\n  ".join(parts)


class MetadataInvalid(BuildError):
    """A metadata file is missing a value or has one of the wrong kind."""


class MetadataKeyUnknown(MetadataInvalid):
    """A metadata file has a key its schema does not define (often a misspelt key)."""


class MetadataKeyMissing(MetadataInvalid):
    """A metadata entry lacks a key its schema requires."""


class MetadataValueUnconfirmed(MetadataInvalid):
    """A metadata value is still marked CONFIRM: a person has not checked it yet."""


class MetadataReferenceBroken(MetadataInvalid):
    """A metadata entry names something (a layout, cohort, question, indicator or place) that is not defined."""


class ReaderUnknown(MetadataInvalid):
    """A layout in layouts.yml names a reader the build does not have."""


class SourceFileMissing(BuildError):
    """A raw file named in releases.yml is not there."""


class SourcePathOutsideSources(BuildError):
    """A file path in releases.yml points outside build_data/sources/."""


class ChecksumMismatch(BuildError):
    """A raw file's sha256 differs from the one recorded in releases.yml."""


class SourceUnreadable(BuildError):
    """A raw file could not be read as the layout in layouts.yml says it should be."""


class SheetMissing(SourceUnreadable):
    """A worksheet the layout names is not in the workbook."""


class SourceEmpty(SourceUnreadable):
    """A raw file has no data rows."""


class EncodingMismatch(SourceUnreadable):
    """A raw file's bytes are not in the encoding releases.yml declares for it."""


class ColumnMissing(BuildError):
    """A column the layout expects is not in the raw file."""


class ColumnUnexpected(BuildError):
    """The raw file has a column the layout does not describe."""


class ValueNotNumeric(BuildError):
    """A cell that must hold a number holds something else."""


class ValueOutOfRange(BuildError):
    """A number is outside the range it can take."""


class YearOutOfRange(ValueOutOfRange):
    """A year in a raw file is outside the years the release covers."""


class CountsDisagree(ValueOutOfRange):
    """A row's numerator, denominator and percentage do not agree."""


class FrequenciesDisagree(ValueOutOfRange):
    """A question's response frequencies do not agree with each other or with the scores file."""


class FrequencyPercentSumWrong(FrequenciesDisagree):
    """The percentages of a question's response options do not add up to 100, even allowing for rounding."""


class FrequencyCountSumWrong(FrequenciesDisagree):
    """The counts of a question's response options do not add up to the respondents in the scores file."""


class FrequencyPercentMismatch(FrequenciesDisagree):
    """A response option's percentage is not its count as a share of the question's respondents."""


class FrequencyScoreMismatch(FrequenciesDisagree):
    """The positive response options' share of respondents is not the score in the scores file."""


class FrequencyWithoutScore(BuildError):
    """Response frequencies are given for a question, place and group that the scores file does not have."""


class IntervalExcludesValue(BuildError):
    """A confidence interval does not contain its own value."""


class CorrectionStale(BuildError):
    """A correction in corrections.yml no longer matches the publisher's file."""


class PercentScaleAmbiguous(BuildError):
    """Percentages in a column could be on 0-1 or 0-100; the scale cannot be told."""


class UnmappedQuestionCode(BuildError):
    """Publisher question numbers have no row in crosswalk.csv."""


class UnknownQuestionId(MetadataInvalid):
    """A question id is not defined in questions.yml."""


class DuplicateReleaseId(MetadataInvalid):
    """Two releases in releases.yml have the same id."""


class ReleaseUnknown(BuildError):
    """No release in releases.yml has this id."""


class UnknownCohortLabel(BuildError):
    """A group of respondents in a raw file is not in cohorts.yml."""


class UnknownResponseOption(BuildError):
    """A response option in a raw file is not among the question's response_options in questions.yml."""


class UnknownIndicatorLabel(BuildError):
    """An audit indicator in a raw file is not in indicators.yml."""


class UnknownGeography(BuildError):
    """A place or organisation code is not in geographies.csv, or not valid that year."""


class GeographyOutsideValidYears(UnknownGeography):
    """A place or organisation code is used in a year outside its valid_from and valid_to."""


class CohortPartsExceedWhole(BuildError):
    """Groups that cohorts.yml declares as parts of a whole have more respondents than the whole."""


class DuplicateRow(BuildError):
    """The same estimate appears more than once."""


class SuppressionLeak(BuildError):
    """A published value reveals a count below the release's suppression threshold."""


class PackageInvalid(BuildError):
    """The data package failed validation; nothing was published."""


class PackageOutdated(BuildError):
    """The published package lacks something the site is made from; nothing was rendered."""


class MarkerUnknown(BuildError):
    """A page uses a {{ marker }} the site generator does not know."""


class FigureUnknown(BuildError):
    """A figure in figures.yml or a page is not declared, or its data is missing."""


class SiteAddressInvalid(BuildError):
    """The site's public address is not an http(s) address."""
