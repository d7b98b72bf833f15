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

AU_STATES: dict[str, str] = {
    "NSW": "New South Wales", "VIC": "Victoria", "QLD": "Queensland", "SA": "South Australia",
    "WA": "Western Australia", "TAS": "Tasmania", "NT": "Northern Territory",
    "ACT": "Australian Capital Territory",
}

# UK counties as written in postal addresses (ceremonial, traditional and the usual
# abbreviations): on the line between post town and postcode, they are not the town.
UK_COUNTIES = frozenset(name.upper() for name in """
Avon|Bedfordshire|Beds|Berkshire|Berks|Buckinghamshire|Bucks|Cambridgeshire|Cambs|Cheshire|
Cleveland|Cornwall|Cumbria|Derbyshire|Devon|Dorset|Durham|County Durham|Co. Durham|East Sussex|
Essex|Gloucestershire|Glos|Hampshire|Hants|Herefordshire|Hertfordshire|Herts|Isle of Wight|Kent|
Lancashire|Lancs|Leicestershire|Leics|Lincolnshire|Lincs|Merseyside|Middlesex|Middx|Norfolk|
Northamptonshire|Northants|Northumberland|North Yorkshire|N Yorks|Nottinghamshire|Notts|
Oxfordshire|Oxon|Rutland|Shropshire|Salop|Somerset|South Yorkshire|S Yorks|Staffordshire|Staffs|
Suffolk|Surrey|Sussex|Tyne and Wear|Tyne & Wear|Warwickshire|Warks|West Midlands|West Sussex|
West Yorkshire|W Yorks|Wiltshire|Wilts|Worcestershire|Worcs|Yorkshire|East Yorkshire|
East Riding of Yorkshire|Greater London|Greater Manchester|Humberside|Cumberland|Westmorland|
Anglesey|Isle of Anglesey|Gwynedd|Conwy|Denbighshire|Flintshire|Wrexham|Powys|Ceredigion|
Pembrokeshire|Carmarthenshire|Swansea|Glamorgan|Mid Glamorgan|South Glamorgan|West Glamorgan|
Vale of Glamorgan|Gwent|Monmouthshire|Clwyd|Dyfed|Aberdeenshire|Angus|Argyll|Argyll and Bute|
Ayrshire|Banffshire|Berwickshire|Caithness|Clackmannanshire|Dumfriesshire|Dumfries and Galloway|
Dunbartonshire|East Lothian|Fife|Highland|Inverness-shire|Kincardineshire|Lanarkshire|
Midlothian|Moray|Nairnshire|Orkney|Peeblesshire|Perthshire|Perth and Kinross|Renfrewshire|
Ross-shire|Roxburghshire|Selkirkshire|Shetland|Stirlingshire|Sutherland|West Lothian|
Wigtownshire|Lothian|Strathclyde|Tayside|Grampian|Borders|Scottish Borders|Central|
County Antrim|Co. Antrim|Antrim|County Armagh|Co. Armagh|Armagh|County Down|Co. Down|Down|
County Fermanagh|Co. Fermanagh|Fermanagh|County Londonderry|Co. Londonderry|Londonderry|
County Tyrone|Co. Tyrone|Tyrone|England|Scotland|Wales|Northern Ireland
""".replace("\n", "").split("|"))

# Countries whose postcode is written before the town ("10115 Berlin", "75001 Paris").
POSTCODE_FIRST = frozenset("""
DE AT CH LI FR MC BE LU NL DK NO SE FI IS IT SM VA ES PT PL CZ SK HU SI HR RS BA ME MK BG RO GR
TR IL MX BR AR CL UY GT DZ MA TN SN EE LV LT UA BY RU KZ
""".split())

# The largest cities of the markets served (by population; not drawn from any test page),
# plus other capitals: a page naming one in passing ("Toronto plumbers", "NYC's
# flooring experts") most likely serves it. Spellings people use are listed too.
LARGE_CITIES: dict[str, tuple[str, ...]] = {
    "US": (
        "New York", "New York City", "NYC", "Los Angeles", "Chicago", "Houston", "Phoenix",
        "Philadelphia", "San Antonio", "San Diego", "Dallas", "San Jose", "Austin", "Jacksonville",
        "Fort Worth", "Columbus", "Charlotte", "San Francisco", "Indianapolis", "Seattle", "Denver",
        "Washington", "Washington DC", "Washington D.C.", "Boston", "El Paso", "Nashville", "Detroit",
        "Oklahoma City", "Portland", "Las Vegas", "Memphis", "Louisville", "Baltimore", "Milwaukee",
        "Albuquerque", "Tucson", "Fresno", "Mesa", "Sacramento", "Atlanta", "Kansas City",
        "Colorado Springs", "Omaha", "Raleigh", "Miami", "Long Beach", "Virginia Beach", "Oakland",
        "Minneapolis", "Tulsa", "Tampa", "New Orleans", "Wichita", "Cleveland", "Bakersfield",
        "Aurora", "Anaheim", "Honolulu", "Santa Ana", "Riverside", "Corpus Christi", "Lexington",
        "Pittsburgh", "Anchorage", "Stockton", "Cincinnati", "St. Paul", "Saint Paul", "Toledo",
        "Greensboro", "Newark", "Plano", "Henderson", "Lincoln", "Buffalo", "Orlando", "St. Louis",
        "Saint Louis", "Salt Lake City", "Richmond", "Birmingham", "Boise", "Spokane", "Scottsdale",
    ),
    "CA": (
        "Toronto", "Montreal", "Montréal", "Calgary", "Ottawa", "Edmonton", "Mississauga", "Winnipeg",
        "Vancouver", "Brampton", "Hamilton", "Quebec City", "Surrey", "Laval", "Halifax", "Victoria",
        "Markham", "Vaughan", "Saskatoon", "Regina", "Kitchener", "Windsor", "Burnaby",
    ),
    "GB": (
        "London", "Birmingham", "Manchester", "Glasgow", "Liverpool", "Leeds", "Sheffield",
        "Edinburgh", "Bristol", "Cardiff", "Leicester", "Coventry", "Bradford", "Belfast",
        "Nottingham", "Newcastle", "Newcastle upon Tyne", "Southampton", "Portsmouth", "Brighton",
        "Plymouth", "Reading", "Aberdeen", "Swansea", "Oxford", "Cambridge", "York",
    ),
    "IE": ("Dublin", "Cork", "Galway", "Limerick"),
    "AU": ("Sydney", "Melbourne", "Brisbane", "Perth", "Adelaide", "Canberra", "Gold Coast", "Hobart", "Darwin"),
    "NZ": ("Auckland", "Wellington", "Christchurch"),
    "IN": ("Mumbai", "Delhi", "New Delhi", "Bangalore", "Bengaluru", "Hyderabad", "Chennai", "Kolkata", "Pune"),
    "": (
        "Paris", "Berlin", "Madrid", "Rome", "Vienna", "Amsterdam", "Brussels", "Stockholm", "Oslo",
        "Copenhagen", "Helsinki", "Zurich", "Geneva", "Munich", "Hamburg", "Frankfurt", "Milan",
        "Barcelona", "Lisbon", "Prague", "Warsaw", "Budapest", "Athens", "Istanbul", "Moscow",
        "Dubai", "Abu Dhabi", "Doha", "Riyadh", "Tel Aviv", "Cairo", "Johannesburg", "Cape Town",
        "Lagos", "Nairobi", "Tokyo", "Osaka", "Seoul", "Beijing", "Shanghai", "Shenzhen",
        "Guangzhou", "Hong Kong", "Taipei", "Singapore", "Bangkok", "Kuala Lumpur", "Jakarta",
        "Manila", "Ho Chi Minh City", "Hanoi", "Mexico City", "São Paulo", "Sao Paulo",
        "Rio de Janeiro", "Buenos Aires", "Santiago", "Lima", "Bogotá", "Bogota",
    ),
}
