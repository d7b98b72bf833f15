"""Real places: cities with their regions, postcodes, phone area codes, streets.

Why real data: the pipeline validates phones with ``phonenumbers`` and may check
city/postcode consistency, so the sandbox only uses combinations that exist.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class City:
    """A city a company can sit in, with what an address and phone need."""

    country: str
    name: str
    region: str
    region_code: str
    areas: tuple[tuple[str, str], ...]  # (district or "", postcode)
    area_codes: tuple[str, ...]  # national destination codes, as in the E.164 number
    local_lengths: tuple[int, ...]  # subscriber-number lengths after the area code
    prefix: str = ""  # short city code used in Chinese domains ("nb" for Ningbo)


COUNTRY_NAMES: dict[str, str] = {
    "CN": "China",
    "US": "United States",
    "DE": "Germany",
    "IN": "India",
    "TR": "Turkey",
    "IT": "Italy",
    "VN": "Vietnam",
    "FR": "France",
    "GB": "United Kingdom",
    "AU": "Australia",
    "AE": "United Arab Emirates",
    "BR": "Brazil",
}

US_STATES: dict[str, str] = {
    "TX": "Texas",
    "CO": "Colorado",
    "IL": "Illinois",
    "CA": "California",
    "AZ": "Arizona",
    "GA": "Georgia",
    "NC": "North Carolina",
    "OH": "Ohio",
    "MI": "Michigan",
    "IN": "Indiana",
    "WI": "Wisconsin",
    "MN": "Minnesota",
    "MO": "Missouri",
    "TN": "Tennessee",
    "WA": "Washington",
    "OR": "Oregon",
    "UT": "Utah",
    "PA": "Pennsylvania",
    "FL": "Florida",
    "SC": "South Carolina",
    "OK": "Oklahoma",
    "ID": "Idaho",
    "NJ": "New Jersey",
    "NY": "New York",
}


def _us(name: str, state: str, zips: tuple[str, ...], codes: tuple[str, ...]) -> City:
    """Build a US city; kept tiny so the table below reads like a table."""
    return City("US", name, US_STATES[state], state, tuple(("", z) for z in zips), codes, (7,))


_DE_STATES: dict[str, str] = {
    "BY": "Bavaria",
    "BW": "Baden-Württemberg",
    "NW": "North Rhine-Westphalia",
    "HE": "Hesse",
    "NI": "Lower Saxony",
    "SN": "Saxony",
}
FR_REGIONS: dict[str, str] = {
    "IDF": "Île-de-France",
    "ARA": "Auvergne-Rhône-Alpes",
    "PAC": "Provence-Alpes-Côte d'Azur",
    "OCC": "Occitanie",
    "PDL": "Pays de la Loire",
    "NAQ": "Nouvelle-Aquitaine",
    "HDF": "Hauts-de-France",
    "GES": "Grand Est",
    "BRE": "Bretagne",
}


def _de(name: str, state: str, postcodes: tuple[str, ...], area: str) -> City:
    """Build a German city; area codes are given without the trunk 0."""
    return City(
        "DE", name, _DE_STATES[state], state, tuple(("", p) for p in postcodes), (area,), (7,)
    )


def _fr(name: str, region: str, postcodes: tuple[str, ...], prefixes: tuple[str, ...]) -> City:
    """Build a French city; ``prefixes`` are the first digits of its 9-digit numbers."""
    lengths = tuple(sorted({9 - len(p) for p in prefixes}))
    return City(
        "FR", name, FR_REGIONS[region], region, tuple(("", p) for p in postcodes), prefixes, lengths
    )


CITIES: dict[str, tuple[City, ...]] = {
    "CN": (
        City(
            "CN",
            "Ningbo",
            "Zhejiang",
            "ZJ",
            (
                ("Yinzhou", "315100"),
                ("Beilun", "315800"),
                ("Zhenhai", "315200"),
                ("Jiangbei", "315020"),
                ("Haishu", "315010"),
            ),
            ("574",),
            (8,),
            "nb",
        ),
        City(
            "CN",
            "Shenzhen",
            "Guangdong",
            "GD",
            (
                ("Bao'an", "518101"),
                ("Longgang", "518116"),
                ("Nanshan", "518057"),
                ("Longhua", "518109"),
                ("Futian", "518048"),
            ),
            ("755",),
            (8,),
            "sz",
        ),
        City(
            "CN",
            "Guangzhou",
            "Guangdong",
            "GD",
            (("Baiyun", "510440"), ("Panyu", "511400"), ("Huadu", "510800"), ("Tianhe", "510630")),
            ("20",),
            (8,),
            "gz",
        ),
        City(
            "CN",
            "Yiwu",
            "Zhejiang",
            "ZJ",
            (
                ("Choucheng", "322000"),
                ("Beiyuan", "322000"),
                ("Jiangdong", "322000"),
                ("Fotang", "322002"),
            ),
            ("579",),
            (8,),
            "yw",
        ),
        City(
            "CN",
            "Hangzhou",
            "Zhejiang",
            "ZJ",
            (
                ("Xiaoshan", "311200"),
                ("Yuhang", "311100"),
                ("Binjiang", "310051"),
                ("Gongshu", "310011"),
            ),
            ("571",),
            (8,),
            "hz",
        ),
        City(
            "CN",
            "Shanghai",
            "Shanghai",
            "SH",
            (
                ("Songjiang", "201600"),
                ("Jiading", "201800"),
                ("Minhang", "201100"),
                ("Pudong New", "201203"),
                ("Baoshan", "201900"),
            ),
            ("21",),
            (8,),
            "sh",
        ),
        City(
            "CN",
            "Dongguan",
            "Guangdong",
            "GD",
            (
                ("Chang'an", "523850"),
                ("Humen", "523900"),
                ("Houjie", "523960"),
                ("Tangxia", "523710"),
            ),
            ("769",),
            (8,),
            "dg",
        ),
        City(
            "CN",
            "Wenzhou",
            "Zhejiang",
            "ZJ",
            (
                ("Longwan", "325024"),
                ("Ouhai", "325005"),
                ("Lucheng", "325000"),
                ("Yongjia", "325100"),
            ),
            ("577",),
            (8,),
            "wz",
        ),
    ),
    "US": (
        _us("Houston", "TX", ("77002", "77007", "77020", "77036", "77041"), ("713", "281", "832")),
        _us("Dallas", "TX", ("75201", "75207", "75212", "75247"), ("214", "469", "972")),
        _us("Denver", "CO", ("80202", "80204", "80216", "80223"), ("303", "720")),
        _us("Chicago", "IL", ("60607", "60608", "60616", "60632"), ("312", "773")),
        _us("Los Angeles", "CA", ("90013", "90021", "90023", "90058"), ("213", "323")),
        _us("Phoenix", "AZ", ("85003", "85009", "85034", "85040"), ("602", "480")),
        _us("Atlanta", "GA", ("30303", "30310", "30318", "30336"), ("404", "470")),
        _us("Charlotte", "NC", ("28202", "28206", "28208", "28273"), ("704", "980")),
        _us("Columbus", "OH", ("43215", "43207", "43219", "43228"), ("614",)),
        _us("Detroit", "MI", ("48201", "48207", "48209", "48210"), ("313",)),
        _us("Cleveland", "OH", ("44103", "44105", "44114", "44135"), ("216",)),
        _us("Indianapolis", "IN", ("46204", "46218", "46219", "46241"), ("317",)),
        _us("Milwaukee", "WI", ("53204", "53208", "53215", "53218"), ("414",)),
        _us("Minneapolis", "MN", ("55401", "55411", "55413", "55414"), ("612",)),
        _us("St. Louis", "MO", ("63102", "63110", "63132", "63147"), ("314",)),
        _us("Kansas City", "MO", ("64105", "64108", "64120", "64129"), ("816",)),
        _us("Nashville", "TN", ("37203", "37207", "37209", "37210"), ("615",)),
        _us("Seattle", "WA", ("98104", "98106", "98108", "98134"), ("206",)),
        _us("Portland", "OR", ("97209", "97210", "97217", "97230"), ("503", "971")),
        _us("San Jose", "CA", ("95110", "95112", "95131", "95134"), ("408", "669")),
        _us("Salt Lake City", "UT", ("84101", "84104", "84115", "84119"), ("801", "385")),
        _us("Pittsburgh", "PA", ("15201", "15203", "15212", "15222"), ("412",)),
        _us("Tampa", "FL", ("33602", "33605", "33610", "33619"), ("813",)),
        _us("Grand Rapids", "MI", ("49503", "49504", "49507", "49548"), ("616",)),
        _us("Greenville", "SC", ("29601", "29605", "29607", "29611"), ("864",)),
        _us("Tulsa", "OK", ("74103", "74107", "74112", "74115"), ("918",)),
        _us("Fresno", "CA", ("93706", "93721", "93725", "93727"), ("559",)),
        _us("Boise", "ID", ("83702", "83704", "83705", "83709"), ("208",)),
        _us("Newark", "NJ", ("07102", "07105", "07114"), ("973", "862")),
        _us("Buffalo", "NY", ("14202", "14206", "14210", "14211"), ("716",)),
    ),
    "DE": (
        City(
            "DE",
            "Berlin",
            "Berlin",
            "BE",
            (("", "10115"), ("", "12099"), ("", "13407")),
            ("30",),
            (7, 8),
        ),
        City(
            "DE",
            "München",
            "Bavaria",
            "BY",
            (("", "80331"), ("", "80807"), ("", "81379")),
            ("89",),
            (7, 8),
        ),
        City(
            "DE",
            "Hamburg",
            "Hamburg",
            "HH",
            (("", "20095"), ("", "21079"), ("", "22525")),
            ("40",),
            (7, 8),
        ),
        City(
            "DE",
            "Stuttgart",
            "Baden-Württemberg",
            "BW",
            (("", "70173"), ("", "70327"), ("", "70565")),
            ("711",),
            (7,),
        ),
        City(
            "DE",
            "Düsseldorf",
            "North Rhine-Westphalia",
            "NW",
            (("", "40210"), ("", "40231"), ("", "40472")),
            ("211",),
            (7,),
        ),
        _de("Köln", "NW", ("50667", "50829", "51103"), "221"),
        _de("Frankfurt am Main", "HE", ("60311", "60386", "65929"), "69"),
        _de("Nürnberg", "BY", ("90402", "90441", "90475"), "911"),
        _de("Hannover", "NI", ("30159", "30179", "30419"), "511"),
        _de("Bielefeld", "NW", ("33602", "33719"), "521"),
        _de("Dortmund", "NW", ("44135", "44147", "44319"), "231"),
        _de("Leipzig", "SN", ("04103", "04329", "04179"), "341"),
        _de("Mannheim", "BW", ("68159", "68219", "68309"), "621"),
    ),
    "IN": (
        City(
            "IN",
            "Mumbai",
            "Maharashtra",
            "MH",
            (("Andheri East", "400093"), ("Bhiwandi", "421302")),
            ("22",),
            (8,),
        ),
        City(
            "IN",
            "Ahmedabad",
            "Gujarat",
            "GJ",
            (("Vatva GIDC", "382445"), ("Naroda", "382330")),
            ("79",),
            (8,),
        ),
        City(
            "IN",
            "Chennai",
            "Tamil Nadu",
            "TN",
            (("Ambattur", "600058"), ("Guindy", "600032")),
            ("44",),
            (8,),
        ),
        City(
            "IN",
            "Pune",
            "Maharashtra",
            "MH",
            (("Bhosari MIDC", "411026"), ("Chakan", "410501")),
            ("20",),
            (8,),
        ),
        City(
            "IN",
            "Ludhiana",
            "Punjab",
            "PB",
            (("Focal Point", "141010"), ("Industrial Area A", "141003")),
            ("161",),
            (7,),
        ),
    ),
    "TR": (
        City(
            "TR",
            "Istanbul",
            "Istanbul",
            "34",
            (("İkitelli", "34490"), ("Tuzla", "34956")),
            ("212", "216"),
            (7,),
        ),
        City(
            "TR",
            "Izmir",
            "Izmir",
            "35",
            (("Kemalpaşa", "35730"), ("Çiğli", "35620")),
            ("232",),
            (7,),
        ),
        City(
            "TR",
            "Bursa",
            "Bursa",
            "16",
            (("Nilüfer", "16140"), ("Osmangazi", "16159")),
            ("224",),
            (7,),
        ),
        City(
            "TR",
            "Ankara",
            "Ankara",
            "06",
            (("Ostim", "06374"), ("Sincan", "06935")),
            ("312",),
            (7,),
        ),
        City(
            "TR",
            "Konya",
            "Konya",
            "42",
            (("Selçuklu", "42300"), ("Karatay", "42030")),
            ("332",),
            (7,),
        ),
    ),
    "IT": (
        City(
            "IT",
            "Milano",
            "Lombardy",
            "MI",
            (("", "20121"), ("", "20151"), ("", "20138")),
            ("02",),
            (8,),
        ),
        City("IT", "Torino", "Piedmont", "TO", (("", "10121"), ("", "10156")), ("011",), (7,)),
        City(
            "IT", "Bologna", "Emilia-Romagna", "BO", (("", "40121"), ("", "40132")), ("051",), (7,)
        ),
        City("IT", "Brescia", "Lombardy", "BS", (("", "25121"), ("", "25136")), ("030",), (7,)),
        City("IT", "Vicenza", "Veneto", "VI", (("", "36100"),), ("0444",), (6,)),
    ),
    "VN": (
        City(
            "VN",
            "Ho Chi Minh City",
            "Ho Chi Minh City",
            "SG",
            (("Tan Binh", "700000"), ("Binh Tan", "700000"), ("District 7", "700000")),
            ("28",),
            (8,),
        ),
        City(
            "VN",
            "Hanoi",
            "Hanoi",
            "HN",
            (("Long Bien", "100000"), ("Dong Anh", "100000")),
            ("24",),
            (8,),
        ),
        City("VN", "Hai Phong", "Hai Phong", "HP", (("Hong Bang", "180000"),), ("225",), (7,)),
        City("VN", "Da Nang", "Da Nang", "DN", (("Lien Chieu", "550000"),), ("236",), (7,)),
        City("VN", "Thu Dau Mot", "Binh Duong", "BD", (("Phu Loi", "820000"),), ("274",), (7,)),
    ),
    "FR": (
        _fr("Paris", "IDF", ("75011", "75012", "75019"), ("14", "15")),
        _fr("Lyon", "ARA", ("69003", "69007", "69009"), ("472", "478")),
        _fr("Marseille", "PAC", ("13002", "13010", "13015"), ("491",)),
        _fr("Toulouse", "OCC", ("31000", "31100", "31200"), ("561", "562")),
        _fr("Nantes", "PDL", ("44000", "44200", "44300"), ("240",)),
        _fr("Bordeaux", "NAQ", ("33000", "33300", "33800"), ("556",)),
        _fr("Lille", "HDF", ("59000", "59160", "59260"), ("320",)),
        _fr("Strasbourg", "GES", ("67000", "67100", "67200"), ("388",)),
        _fr("Rennes", "BRE", ("35000", "35200"), ("299",)),
        _fr("Grenoble", "ARA", ("38000", "38100"), ("476",)),
    ),
    "GB": (
        City(
            "GB",
            "London",
            "England",
            "ENG",
            (("", "EC1V 9BP"), ("", "SE1 7PB"), ("", "E14 5AB")),
            ("20",),
            (8,),
        ),
        City(
            "GB", "Manchester", "England", "ENG", (("", "M1 2WD"), ("", "M17 1DF")), ("161",), (7,)
        ),
        City(
            "GB", "Birmingham", "England", "ENG", (("", "B5 4BU"), ("", "B7 4AH")), ("121",), (7,)
        ),
        City("GB", "Leeds", "England", "ENG", (("", "LS11 5QN"), ("", "LS10 1JQ")), ("113",), (7,)),
    ),
    "AU": (
        City(
            "AU",
            "Sydney",
            "New South Wales",
            "NSW",
            (("", "2000"), ("", "2150")),
            ("29", "28"),
            (7,),
        ),
        City(
            "AU", "Melbourne", "Victoria", "VIC", (("", "3000"), ("", "3175")), ("39", "38"), (7,)
        ),
        City("AU", "Brisbane", "Queensland", "QLD", (("", "4000"), ("", "4113")), ("73",), (7,)),
    ),
    "AE": (
        City(
            "AE",
            "Dubai",
            "Dubai",
            "DU",
            (("Al Quoz", ""), ("Jebel Ali", ""), ("Deira", "")),
            ("4",),
            (7,),
        ),
        City(
            "AE",
            "Sharjah",
            "Sharjah",
            "SH",
            (("Al Nahda", ""), ("Industrial Area", "")),
            ("6",),
            (7,),
        ),
    ),
    "BR": (
        City(
            "BR",
            "São Paulo",
            "São Paulo",
            "SP",
            (("Barra Funda", "01140-000"), ("Mooca", "03104-000")),
            ("113",),
            (7,),
        ),
        City(
            "BR",
            "Rio de Janeiro",
            "Rio de Janeiro",
            "RJ",
            (("Centro", "20040-002"),),
            ("213",),
            (7,),
        ),
        City(
            "BR", "Curitiba", "Paraná", "PR", (("Cidade Industrial", "81290-000"),), ("413",), (7,)
        ),
    ),
}

_CN_ROADS = (
    "Xingye",
    "Jiangnan",
    "Huancheng",
    "Zhongshan",
    "Renmin",
    "Jinhai",
    "Gongye",
    "Chuangye",
    "Fuxing",
    "Jianshe",
    "Keji",
    "Qianjin",
    "Dongfeng",
    "Huaxia",
)
_US_STREETS = (
    "Main",
    "Industrial",
    "Commerce",
    "Westpark",
    "Airport",
    "Pine",
    "Oak",
    "Market",
    "Center",
    "Lakeview",
    "Riverside",
    "Enterprise",
    "Distribution",
    "Park",
    "Washington",
    "Jefferson",
    "Madison",
    "Lincoln",
    "Franklin",
    "Elm",
)
_US_SUFFIXES = ("St", "Ave", "Blvd", "Dr", "Rd", "Pkwy", "Way", "Ln", "Ct")
_DE_STREETS = (
    "Industriestraße",
    "Hauptstraße",
    "Gewerbestraße",
    "Bahnhofstraße",
    "Werkstraße",
    "Siemensstraße",
    "Daimlerstraße",
    "Robert-Bosch-Straße",
)
_IN_ESTATES = ("Industrial Estate", "GIDC Estate", "MIDC Industrial Area", "Phase II", "Sector 5")
_TR_STREETS = ("Atatürk", "Cumhuriyet", "Organize Sanayi", "İstiklal", "Gazi", "Sanayi")
_IT_STREETS = (
    "Via Roma",
    "Via Garibaldi",
    "Via dell'Industria",
    "Via Mazzini",
    "Via Verdi",
    "Via dell'Artigianato",
    "Via Marconi",
)
_VN_STREETS = (
    "Cong Hoa",
    "Nguyen Van Linh",
    "Le Trong Tan",
    "Tran Hung Dao",
    "Hai Ba Trung",
    "Quang Trung",
)


_FR_STREETS = (
    "rue de la République",
    "avenue Jean Jaurès",
    "rue Victor Hugo",
    "boulevard Voltaire",
    "rue de l'Industrie",
    "avenue de la Gare",
    "rue Pasteur",
    "chemin des Prés",
    "allée des Artisans",
    "rue du Commerce",
    "avenue du Général de Gaulle",
    "rue des Entrepreneurs",
)
_GB_STREETS = (
    "Station Road",
    "High Street",
    "Mill Lane",
    "Church Street",
    "Park Road",
    "Victoria Road",
)
_AU_STREETS = ("George Street", "Smith Street", "Princes Highway", "Church Road", "Parramatta Road")
_AE_STREETS = ("Sheikh Zayed Road", "Al Khail Road", "Street 17", "Al Ittihad Road")
_BR_STREETS = (
    "Rua Augusta",
    "Avenida Paulista",
    "Rua da Consolação",
    "Avenida Brasil",
    "Rua XV de Novembro",
)


def _street_more(rng: random.Random, city: City, district: str) -> str:
    """Street lines of the countries added for buyers and French suppliers."""
    if city.country == "FR":
        line = f"{rng.randint(1, 140)} {rng.choice(_FR_STREETS)}"
        return f"ZI des Portes, {line}" if rng.random() < 0.15 else line
    if city.country == "GB":
        line = f"{rng.randint(1, 240)} {rng.choice(_GB_STREETS)}"
        return f"Unit {rng.randint(1, 30)}, {line}" if rng.random() < 0.3 else line
    if city.country == "AU":
        return f"{rng.randint(1, 400)} {rng.choice(_AU_STREETS)}"
    if city.country == "AE":
        return (
            f"Warehouse {rng.randint(1, 60)}, {rng.choice(_AE_STREETS)}, {district}, "
            f"P.O. Box {rng.randint(10000, 99999)}"
        )
    return f"{rng.choice(_BR_STREETS)}, {rng.randint(10, 3000)} - {district}"


def make_street(rng: random.Random, city: City, district: str) -> str:
    """Return a canonical street line in the local convention of ``city``.

    Canonical forms are the long-ish, regular forms; the listing renderer
    derives the abbreviated variants directory sites actually show.
    """
    if city.country == "CN":
        line = f"No. {rng.randint(1, 999)} {rng.choice(_CN_ROADS)} Road, {district} District"
        if rng.random() < 0.3:
            line = f"Building {rng.randint(1, 12)}, " + line
        return line
    if city.country == "US":
        line = f"{rng.randint(100, 19999)} {rng.choice(_US_STREETS)} {rng.choice(_US_SUFFIXES)}"
        if rng.random() < 0.35:
            line += f", Suite {rng.randint(1, 9)}{rng.randint(0, 9)}0"
        return line
    if city.country == "DE":
        return f"{rng.choice(_DE_STREETS)} {rng.randint(1, 180)}"
    if city.country == "IN":
        return f"Plot No. {rng.randint(1, 400)}, {rng.choice(_IN_ESTATES)}, {district}"
    if city.country == "TR":
        return f"{rng.choice(_TR_STREETS)} Caddesi No: {rng.randint(1, 250)}, {district}"
    if city.country == "IT":
        return f"{rng.choice(_IT_STREETS)}, {rng.randint(1, 200)}"
    if city.country in ("FR", "GB", "AU", "AE", "BR"):
        return _street_more(rng, city, district)
    return f"{rng.randint(1, 600)} {rng.choice(_VN_STREETS)} Street, {district} District"
