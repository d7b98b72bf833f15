"""Closed lists that addresses are recognised by: regions, postcode areas, street words.

Only lists that are small, stable and true everywhere belong here (US states,
Canadian provinces, UK postcode areas, the words streets are named with); no
place names of any one corpus. Everything is folded to upper case for lookup.
"""

from __future__ import annotations

US_STATES: dict[str, str] = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa",
    "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland",
    "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi",
    "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire",
    "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York", "NC": "North Carolina",
    "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
    "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee",
    "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington",
    "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming", "DC": "District of Columbia",
    "PR": "Puerto Rico", "GU": "Guam", "VI": "Virgin Islands", "AS": "American Samoa",
    "MP": "Northern Mariana Islands",
}

# Old-style abbreviations still printed on many letterheads ("Calif.", "Mass.").
US_STATE_VARIANTS: dict[str, str] = {
    "ALA": "AL", "ARIZ": "AZ", "ARK": "AR", "CALIF": "CA", "CAL": "CA", "COLO": "CO",
    "CONN": "CT", "DEL": "DE", "FLA": "FL", "ILL": "IL", "IND": "IN", "KAN": "KS",
    "KANS": "KS", "MASS": "MA", "MICH": "MI", "MINN": "MN", "MISS": "MS", "NEB": "NE",
    "NEBR": "NE", "NEV": "NV", "OKLA": "OK", "ORE": "OR", "PENN": "PA", "PENNA": "PA",
    "TENN": "TN", "TEX": "TX", "WASH": "WA", "WIS": "WI", "WISC": "WI", "WYO": "WY",
    "D.C": "DC", "WASHINGTON DC": "DC", "WASHINGTON D.C": "DC",
}

CA_PROVINCES: dict[str, str] = {
    "AB": "Alberta", "BC": "British Columbia", "MB": "Manitoba", "NB": "New Brunswick",
    "NL": "Newfoundland and Labrador", "NS": "Nova Scotia", "NT": "Northwest Territories",
    "NU": "Nunavut", "ON": "Ontario", "PE": "Prince Edward Island", "QC": "Quebec",
    "SK": "Saskatchewan", "YT": "Yukon",
}
CA_PROVINCE_VARIANTS: dict[str, str] = {
    "ONT": "ON", "QUE": "QC", "PQ": "QC", "QUÉBEC": "QC", "ALTA": "AB", "SASK": "SK",
    "MAN": "MB", "NFLD": "NL", "NEWFOUNDLAND": "NL", "PEI": "PE", "P.E.I": "PE", "B.C": "BC",
    "YUKON TERRITORY": "YT",
}

# The 121 postcode areas of the UK (plus Crown dependencies): the letters before the first digit.
UK_POSTCODE_AREAS = frozenset("""
AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY
E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE
LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL
SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE
""".split())

# First letters a Canadian postal code can start with (D F I O Q U W Z never do).
CA_POSTAL_FIRST = frozenset("ABCEGHJKLMNPRSTVXY")

# Words that name a street ("Main Street", "Rue de la Paix", "Hauptstraße").
STREET_WORDS = frozenset("""
STREET ST STR AVENUE AVE AV ROAD RD BOULEVARD BLVD BLV DRIVE DR LANE LN WAY COURT CT CIRCLE CIR
PLACE PL PARKWAY PKWY PKY HIGHWAY HWY TERRACE TER TRAIL TRL SQUARE SQ PLAZA PLZ TURNPIKE TPKE
EXPRESSWAY EXPY FREEWAY FWY PIKE ROUTE RTE CRESCENT CRES CLOSE GROVE GARDENS GDNS HILL MEWS
ROW WALK PARADE YARD GATE GREEN BROADWAY ALLEY ALY LOOP PATH POINT PT RUN CROSSING XING
CENTER CENTRE SUITE STE UNIT FLOOR FL BUILDING BLDG ESTATE INDUSTRIAL PARK HOUSE
""".split())

# Street-number-free forms that still start an address line.
PO_BOX_WORDS = ("P.O. BOX", "PO BOX", "P O BOX", "POST OFFICE BOX", "BOX", "POSTFACH", "BP", "CP")


def us_state(token: str) -> str | None:
    """Two-letter code of a US state written as code, old abbreviation or full name."""
    key = token.strip().strip(".,").upper()
    if key in US_STATES:
        return key
    if key in US_STATE_VARIANTS:
        return US_STATE_VARIANTS[key]
    return _US_NAMES.get(key)


def ca_province(token: str) -> str | None:
    """Two-letter code of a Canadian province written as code, abbreviation or full name."""
    key = token.strip().strip(".,").upper()
    if key in CA_PROVINCES:
        return key
    if key in CA_PROVINCE_VARIANTS:
        return CA_PROVINCE_VARIANTS[key]
    return _CA_NAMES.get(key)


_US_NAMES = {name.upper(): code for code, name in US_STATES.items()}
_CA_NAMES = {name.upper(): code for code, name in CA_PROVINCES.items()}
_CA_NAMES["QUÉBEC"] = "QC"
