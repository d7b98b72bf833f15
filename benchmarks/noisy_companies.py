"""Noisy company records with known duplicates, for the scale benchmark of ``leads dedup``.

    .venv/bin/python -m benchmarks.noisy_companies 1000000 --out data/bench/companies-1000000.csv [--seed 1]

Writes the columns ``leads dedup`` reads by default (record_id, name, phone,
email, website, street, city, postcode, country) and ``entity_id``, the truth,
which the deduplication never reads and the benchmark scores against.

About a tenth of the rows are further listings of a company that already has
one, written the way another directory or CRM would: the legal form spelled
differently or left out, a typo, an abbreviation, capitals, the phone in
another national or international format or a second line, fields missing,
the website with or without ``www``, streets abbreviated. The data also holds
the cases that make matching hard: distinct companies with one name in one
city, branches and franchises of a chain (one brand, often one website), and
unrelated firms behind one business-centre switchboard at one address.

Deterministic for a seed; a million rows take well under a minute.
"""

from __future__ import annotations

import argparse
import csv
import gc
import random
import re
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

COLUMNS = ("record_id", "name", "phone", "email", "website", "street", "city", "postcode", "country",
           "entity_id")

# -- vocabulary ---------------------------------------------------------------------------------

_PREFIXES = (
    "Bright Blue Key Summit North South East West Silver Iron Eagle Pine Oak Stone River Lake Star "
    "Sun Golden Royal Prime Apex Delta Alpha Omega Vertex Nova Crest Harbor Granite Falcon Maple Cedar "
    "Red Green White Black Grand United Pioneer Liberty Heritage Frontier Atlas Titan Orion Phoenix "
    "Crown Diamond Crystal Ever True Clear Swift Rapid Quantum Fusion Vector Pacific Atlantic Sierra "
    "Summit Coastal Highland Valley Meadow Bridge Tri Uni Omni Pro Inter Metro Urban Rocky Sky Ocean"
).split()
_SUFFIXES = (
    "way stone field wood line point gate bridge tech works star view land port ridge side well ford "
    "ton mark craft forge core wave light path source crest dale haven gard mont vale"
).split()
_SYLLABLES = (
    "ka ri to mo na le vi sa ro ta ne mi ko lu da be zo xa pe qui fer lan dor vel mar tin bro cal "
    "sen tor vex ron dal ber gan tus lix mer nor pol ran sil tek ver zan"
).split()
_PINYIN = (
    "Lian Fa Mei Ling Xin Hua Hong Da Sheng Tai Feng Yuan Jin Long Kai Xiang Rui Bao Heng Tong "
    "Yi Jia Cheng Hao Ming Guang Wei Tian Hai Fu Li Xing An Kang De Shun Yong Chang Rong Qiang "
    "Bo Hui Jun Lu Sen Teng Wan Xu Zhong Yu Zhi Bang Chuang Dong Fei Gao Hong"
).split()
_EN_SURNAMES = (
    "Harper Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Martin "
    "Jackson Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott Green Baker "
    "Adams Nelson Hill Campbell Mitchell Roberts Carter Phillips Evans Turner Parker Collins Edwards "
    "Stewart Morris Murphy Cook Rogers Morgan Cooper Peterson Bailey Reed Kelly Howard Cox Ward "
    "Richardson Watson Brooks Wood Bennett Gray Hughes Price Sanders Myers Long Ross Foster Powell "
    "Jenkins Perry Russell Sullivan Bell Coleman Butler Henderson Barnes Fisher Vasquez Simmons Graham "
    "Marshall Owens Harrison Gibson Wallace Hamilton Ellis Fleming Holt Kendall Whitmore Ashford "
    "Blackwell Pemberton Langley Hargrove Thornton Caldwell Prescott Winslow Radcliffe Sterling Holloway"
).split()
_IN_SURNAMES = (
    "Sharma Patel Gupta Singh Kumar Mehta Shah Reddy Iyer Nair Rao Joshi Desai Agarwal Bansal Kapoor "
    "Malhotra Chopra Verma Mishra Jain Saxena Bhat Pillai Menon Kulkarni Deshpande Chauhan Thakur "
    "Bhatia Sethi Arora Khanna Goyal Mittal Trivedi Pandey Tiwari Banerjee Mukherjee Chatterjee Das"
).split()
_DE_SURNAMES = (
    "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch Bauer "
    "Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange Schmitt "
    "Werner Schmitz Krause Meier Lehmann Schmid Schulze Maier Köhler Herrmann König Walter Mayer Huber "
    "Kaiser Fuchs Peters Lang Scholz Möller Weiß Jung Hahn Vogel Friedrich Keller Günther Frank Berger "
    "Winkler Roth Beck Lorenz Baumann Franke Albrecht Ludwig Winter Simon Kraus Böhm Vogt Haas Sommer"
).split()
_FR_SURNAMES = (
    "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefebvre "
    "Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Lefèvre Mercier Dupont "
    "Lambert Bonnet François Martinez Legrand Garnier Faure Rousseau Blanc Guérin Muller Henry Roussel "
    "Nicolas Perrin Morin Mathieu Clément Gauthier Dumont Lopez Fontaine Chevalier Robin Masson"
).split()
_IT_SURNAMES = (
    "Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti De Luca "
    "Mancini Costa Giordano Rizzo Lombardi Moretti Barbieri Fontana Santoro Mariani Rinaldi Caruso "
    "Ferrara Galli Martini Leone Longo Gentile Martinelli Vitale Lombardo Serra Coppola De Santis "
    "D'Angelo Marchetti Parisi Villa Conte Ferraro Ferri Fabbri Bianco Marini Grasso Valentini"
).split()
_ES_SURNAMES = (
    "García Fernández González Rodríguez López Martínez Sánchez Pérez Gómez Martín Jiménez Ruiz "
    "Hernández Díaz Moreno Muñoz Álvarez Romero Alonso Gutiérrez Navarro Torres Domínguez Vázquez "
    "Ramos Gil Ramírez Serrano Blanco Molina Morales Suárez Ortega Delgado Castro Ortiz Rubio Marín "
    "Sanz Núñez Iglesias Medina Garrido Cortés Castillo Santos Lozano Guerrero Cano Prieto Méndez"
).split()
_NL_SURNAMES = [
    "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser", "Smit",
    "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen",
    "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer", "van der Linden",
    "Kok", "Jacobs", "de Haan", "Vermeulen", "van den Heuvel", "van der Veen", "Huisman", "Kuipers",
]
_BR_SURNAMES = (
    "Silva Santos Oliveira Souza Rodrigues Ferreira Alves Pereira Lima Gomes Costa Ribeiro Martins "
    "Carvalho Almeida Lopes Soares Fernandes Vieira Barbosa Rocha Dias Nascimento Andrade Moreira "
    "Nunes Marques Machado Mendes Freitas Cardoso Ramos Gonçalves Santana Teixeira Araújo Cavalcanti"
).split()

def _compounds(prefixes: str, suffixes: str) -> list[str]:
    """Family names built the way a language builds them: Stein+bach, Ash+ford, Bon+etti."""
    return [p + s for p in prefixes.split() for s in suffixes.split()]


_EN_SURNAMES += _compounds("Ash Black Brook Cole Fair Hart Kings Long Ral Stan West Whit Brad Craw Dun "
                           "Hol Lang Mid Pres Rad Shel Thorn Wake Win",
                           "ford ley ton wood field well worth by ham more")
_DE_SURNAMES += _compounds("Stein Wald Berg Hoch Lind Brun Kessel Eichen Lohr Schwarz Mittel Alten Neu Wein "
                           "Hassel Rosen Stroh Feld Dorn Mühl", "bach mann er hardt berger meier huber ner dorf inger")
_FR_SURNAMES += _compounds("Beau Bel Bon Du Mont Ro Ville Ri Mar Ber Cha La Gre Vau Fon",
                           "champ mont lieu court fort chard mard val pin tel lier noir")
_IT_SURNAMES += _compounds("Ber Bon Cal Fer Gal Lan Mar Pel Ros San Tor Val Ven Bel Cor Fos Gar Mor Pic Ser",
                           "etti ini ucci elli oni ato ari esi otti aldi")
_ES_SURNAMES += _compounds("Ben Cal Del Fer Gal Her Mar Ro San Val Vel Ar Bal Cas Es Gar Lo Me Pa Vi",
                           "ado ero ez ano illo era ales anda uela ino")
_IN_SURNAMES += _compounds("Agar Ban Bhar Chand Desh Gir Kul Mah Nar Prad Raj Shan Srin Vish Ram",
                           "wal ani kar dev esh mukh pande nath")
_BR_SURNAMES += _compounds("Al Bar Cam Fon Gui Lac Mon Pin Quei Sam Tei Vas Bel Cor Dor",
                           "eida ros acho seca mares erda teiro roz xeira concelos")
_NL_SURNAMES += ["van " + w for w in _compounds("Berk Dam Hout Kamp Lin Mol Ooster Veld Wes Zand",
                                                 "hoven dijk beek broek huizen wijk")]

_EN_TRADES = (
    "Lighting|Electronics|Machinery|Hardware|Textiles|Plastics|Packaging|Chemicals|Valve|"
    "Valves & Fittings|Tools|Auto Parts|Steel|Metal Products|Furniture|Garments|Logistics|Engineering|"
    "Construction|Medical Supplies|Foods|Solar|Pumps|Bearings|Cables|Fasteners|Printing|Paper|Rubber|"
    "Glass|Ceramics|Electrical|Instruments|Controls|Filters|Motors|Batteries|Optics|Precision Castings|"
    "Wire & Cable|Industrial Supply|Hydraulics|Coatings|Adhesives|Labels|Displays|Sensors|Robotics|"
    "Welding|Fabrication|Molding|Springs|Gears|Compressors|Lubricants|Safety Products|Signs|Tiles"
).split("|")
_EN_QUALIFIERS = ("International", "Manufacturing", "Technology", "Industries", "Group", "Trading",
                  "Systems", "Solutions", "Enterprises", "Industrial")
_QUAL_ABBREV = {"International": "Intl", "Manufacturing": "Mfg", "Technology": "Tech",
                "Industries": "Inds", "Industrial": "Ind", "Services": "Svcs", "Engineering": "Eng",
                "Equipment": "Equip", "Machinery": "Mach", "Electrical": "Elec", "&": "and",
                "and": "&"}
_DE_TRADES = (
    "Maschinenbau Elektrotechnik Metallbau Kunststofftechnik Verpackungen Werkzeugbau Logistik "
    "Anlagenbau Haustechnik Lichttechnik Antriebstechnik Holzbau Elektronik Stahlbau Medizintechnik "
    "Feinmechanik Druckerei Automation Industriebedarf Handel Fördertechnik Oberflächentechnik "
    "Umwelttechnik Messtechnik Sensorik Armaturen Hydraulik Schweißtechnik Dichtungstechnik"
).split()
_FR_TRADES = (
    "Industries|Emballages|Mécanique|Électricité|Plastiques|Métallerie|Logistique|Transports|"
    "Menuiserie|Outillage|Éclairage|Textiles|Chimie|Automatismes|Hydraulique|Équipements|Imprimerie|"
    "Chaudronnerie|Usinage|Fonderie|Robinetterie|Peintures"
).split("|")
_IT_TRADES = (
    "Meccanica|Plastica|Imballaggi|Elettronica|Arredamenti|Tessile|Illuminazione|Costruzioni|"
    "Trasporti|Utensileria|Impianti|Ceramiche|Alimentari|Idraulica|Forniture Industriali|Carpenteria|"
    "Stampaggio|Verniciature|Minuterie|Valvole|Rubinetterie|Pompe"
).split("|")
_ES_TRADES = (
    "Industrial|Embalajes|Mecánica|Electricidad|Plásticos|Iluminación|Construcciones|Transportes|"
    "Metalúrgica|Suministros|Herramientas|Textil|Cerámica|Alimentación|Maquinaria|Válvulas|"
    "Automatización|Calderería|Fundición|Pinturas"
).split("|")
_NL_TRADES = (
    "Techniek Installatietechniek Metaalbewerking Verpakkingen Machinebouw Transport Elektrotechniek "
    "Kunststoffen Bouw Logistiek Handel Staalbouw Aandrijftechniek Meettechniek Hydrauliek"
).split()
_BR_TRADES = (
    "Indústria|Embalagens|Metalúrgica|Plásticos|Máquinas|Iluminação|Transportes|Comércio|Elétrica|"
    "Ferramentas|Têxtil|Construções|Alimentos|Válvulas|Automação|Usinagem|Fundição|Tintas"
).split("|")

_FIRST_NAMES = (
    "john mary james linda robert susan michael karen david lisa peter anna thomas julia daniel "
    "sarah mark laura paul emma wei li jing hui ming hans klaus petra sabine jean marie pierre sophie "
    "marco giulia luca francesca carlos maria jose ana raj priya amit neha joao lucas"
).split()
_DISTRICTS = ("North", "South", "East", "West", "Downtown", "Airport", "Central", "Harbour", "Uptown",
              "Riverside", "Westside", "Eastgate")
_ROLE_LOCALS = ("info", "sales", "contact", "office", "export", "service", "enquiries", "mail", "hello",
                "admin", "purchasing", "orders")


# -- countries ----------------------------------------------------------------------------------

Digits = Callable[[random.Random], str]


@dataclass(frozen=True)
class City:
    name: str
    area: str            # area code without the trunk prefix (with it where it is part of the number: IT)
    sub_len: int         # subscriber digits after the area code
    sub_first: str       # allowed first digits of the subscriber number
    postcode: Callable[[random.Random], str]
    variants: tuple[str, ...] = ()   # other spellings seen in listings


@dataclass(frozen=True)
class Country:
    code: str
    calling: str
    trunk: str
    weight: float
    cities: tuple[City, ...]
    mobile: tuple[tuple[str, int, str], ...]          # (prefix, digits after it, allowed first digits)
    phone_formats: tuple[Callable[..., str], ...]
    legal_forms: tuple[tuple[str, ...], ...]          # each: spellings of one legal form, first is usual
    trades: tuple[str, ...]
    surnames: tuple[str, ...]
    name_styles: tuple[str, ...]                      # templates over {brand} {surname} {trade} {city} {qual}
    street: Callable[[random.Random], tuple[str, str]]  # (usual spelling, abbreviated spelling)
    tlds: tuple[str, ...]
    freemail: tuple[str, ...]
    names: tuple[str, ...] = field(default=())        # how the country column is sometimes written


def _rand(rng: random.Random, lo: int, hi: int | None = None) -> int:
    """``rng.randrange`` without its argument checks, which cost more than the draw."""
    if hi is None:
        lo, hi = 0, lo
    return lo + int(rng.random() * (hi - lo))


def _num(rng: random.Random, n: int, first: str = "0123456789") -> str:
    head = first[_rand(rng, len(first))]
    return head + str(_rand(rng, 10 ** (n - 1))).zfill(n - 1) if n > 1 else head


def _range(lo: int, hi: int, width: int) -> Callable[[random.Random], str]:
    return lambda rng: str(_rand(rng, lo, hi + 1)).zfill(width)


def _gb(outward: Sequence[str]) -> Callable[[random.Random], str]:
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    return lambda rng: (f"{outward[_rand(rng, len(outward))]} {_rand(rng, 1, 10)}"
                        f"{letters[_rand(rng, 20)]}{letters[_rand(rng, 20)]}")


def _nl(lo: int, hi: int) -> Callable[[random.Random], str]:
    letters = "ABCDEGHJKLMNPRSTVWXZ"
    return lambda rng: f"{_rand(rng, lo, hi + 1)} {letters[_rand(rng, 20)]}{letters[_rand(rng, 20)]}"


def _br(lo: int, hi: int) -> Callable[[random.Random], str]:
    return lambda rng: f"{_rand(rng, lo, hi + 1):05d}-{_rand(rng, 0, 1000):03d}"


def _pick(rng: random.Random, items: Sequence[str]) -> str:
    return items[int(rng.random() * len(items))]


def _street_us(rng: random.Random) -> tuple[str, str]:
    names = ("Main", "Oak", "Maple", "Washington", "Park", "Elm", "Lake", "Hill", "Industrial", "Commerce",
             "Market", "Church", "Mill", "Spring", "Ridge", "Highland", "Jefferson", "Lincoln", "Madison",
             "Cedar", "Pine", "Walnut", "River", "Center", "Franklin", "5th", "3rd", "12th", "Airport",
             "Technology", "Enterprise", "Corporate", "Harbor", "Sunset", "Meridian")
    kinds = (("Street", "St"), ("Avenue", "Ave"), ("Road", "Rd"), ("Boulevard", "Blvd"), ("Drive", "Dr"),
             ("Lane", "Ln"), ("Parkway", "Pkwy"), ("Court", "Ct"), ("Place", "Pl"))
    number = str(_rand(rng, 1, 9900))
    name, (full, short) = _pick(rng, names), kinds[_rand(rng, len(kinds))]
    suite = f", Suite {_rand(rng, 100, 900)}" if rng.random() < 0.3 else ""
    return f"{number} {name} {full}{suite}", f"{number} {name} {short}{suite.replace('Suite', 'Ste')}"


def _street_gb(rng: random.Random) -> tuple[str, str]:
    names = ("High", "Station", "Church", "Victoria", "Mill", "Park", "London", "King", "Queen", "Albert",
             "Manor", "Bridge", "Castle", "Oxford", "Princes", "Trafalgar", "Windsor", "Kingsway")
    kinds = (("Street", "St"), ("Road", "Rd"), ("Lane", "Ln"), ("Way", "Way"), ("Avenue", "Ave"))
    number = str(_rand(rng, 1, 400))
    name, (full, short) = _pick(rng, names), kinds[_rand(rng, len(kinds))]
    if rng.random() < 0.25:
        unit = f"Unit {_rand(rng, 1, 40)}, {name} Industrial Estate"
        return unit, unit.replace("Industrial Estate", "Ind Est")
    return f"{number} {name} {full}", f"{number} {name} {short}"


def _street_de(rng: random.Random) -> tuple[str, str]:
    names = ("Haupt", "Bahnhof", "Industrie", "Goethe", "Schiller", "Garten", "Berg", "Linden", "Kirch",
             "Mühlen", "Wald", "Schul", "Dorf", "Feld", "Ring", "Gewerbe", "Hafen", "Markt", "Rosen",
             "Birken", "Friedrich", "Kant", "Mozart", "Daimler", "Benz", "Siemens", "Robert-Bosch-")
    number = str(_rand(rng, 1, 180))
    name = _pick(rng, names)
    if rng.random() < 0.7:
        return f"{name}straße {number}", f"{name}str. {number}"
    kind = _pick(rng, ("weg", "allee", "ring", "platz"))
    return f"{name}{kind} {number}", f"{name}{kind} {number}"


def _street_fr(rng: random.Random) -> tuple[str, str]:
    names = ("de la République", "Victor Hugo", "Jean Jaurès", "de Paris", "du Général de Gaulle",
             "des Lilas", "Pasteur", "de la Gare", "Nationale", "du Moulin", "des Écoles", "Gambetta",
             "Voltaire", "de l'Industrie", "Émile Zola", "du Commerce", "Carnot", "de Verdun")
    kinds = (("rue", "r."), ("avenue", "av."), ("boulevard", "bd"), ("chemin", "ch."))
    number = str(_rand(rng, 1, 250))
    name, (full, short) = _pick(rng, names), kinds[_rand(rng, len(kinds))]
    return f"{number} {full} {name}", f"{number} {short} {name}"


def _street_it(rng: random.Random) -> tuple[str, str]:
    names = ("Roma", "Garibaldi", "Mazzini", "Dante", "Verdi", "Cavour", "Milano", "Vittorio Emanuele",
             "dell'Industria", "Matteotti", "Marconi", "della Repubblica", "XX Settembre", "Torino",
             "dei Mille", "Gramsci", "Volta", "Leonardo da Vinci")
    kinds = (("Via", "V."), ("Viale", "V.le"), ("Corso", "C.so"), ("Piazza", "P.zza"))
    number = str(_rand(rng, 1, 200))
    name, (full, short) = _pick(rng, names), kinds[_rand(rng, len(kinds))]
    return f"{full} {name} {number}", f"{short} {name}, {number}"


def _street_es(rng: random.Random) -> tuple[str, str]:
    names = ("Mayor", "Gran Vía", "Alcalá", "Serrano", "de la Paz", "Real", "del Sol", "de Valencia",
             "de la Industria", "San Vicente", "Colón", "de Andalucía", "del Mar", "de Castilla",
             "Diagonal", "de Aragón")
    kinds = (("Calle", "C/"), ("Avenida", "Avda."), ("Paseo", "Pº"), ("Polígono Industrial", "Pol. Ind."))
    number = str(_rand(rng, 1, 220))
    name, (full, short) = _pick(rng, names), kinds[_rand(rng, len(kinds))]
    return f"{full} {name} {number}", f"{short} {name}, {number}"


def _street_cn(rng: random.Random) -> tuple[str, str]:
    names = ("Jiangnan", "Zhongshan", "Renmin", "Jiefang", "Beijing", "Huancheng", "Gongye", "Chaoyang",
             "Jianshe", "Xinhua", "Heping", "Yingbin", "Changjiang", "Huanghe", "Kaifa", "Keji", "Binhai",
             "Dongfeng", "Wenhua", "Nanhu")
    kinds = (("Road", "Rd"), ("Street", "St"), ("Avenue", "Ave"), ("North Road", "N Rd"),
             ("East Road", "E Rd"))
    number = str(_rand(rng, 1, 1200))
    name, (full, short) = _pick(rng, names), kinds[_rand(rng, len(kinds))]
    if rng.random() < 0.35:
        room = f"Room {_rand(rng, 101, 2800)}, Building {_rand(rng, 1, 30)}, "
        return f"{room}No. {number} {name} {full}", f"{room.replace('Building', 'Bldg')}No.{number} {name} {short}"
    return f"No. {number} {name} {full}", f"No.{number}, {name} {short}"


def _street_in(rng: random.Random) -> tuple[str, str]:
    names = ("MIDC", "Andheri", "Nehru", "Gandhi", "MG", "Station", "Ring", "Okhla", "Peenya", "Ambattur",
             "GIDC", "Sector 5", "Bhosari", "Naroda", "Guindy", "Whitefield", "Lal Bahadur Shastri")
    number = str(_rand(rng, 1, 600))
    name = _pick(rng, names)
    if rng.random() < 0.5:
        return f"Plot No. {number}, {name} Industrial Area", f"Plot {number}, {name} Ind. Area"
    return f"{number}, {name} Road", f"{number} {name} Rd"


def _street_nl(rng: random.Random) -> tuple[str, str]:
    names = ("Keizer", "Heren", "Prinsen", "Kerk", "Dorp", "Molen", "Industrie", "Haven", "Stations",
             "Markt", "Linden", "Zuid", "Noord", "Oost", "West", "Bedrijven")
    kind = _pick(rng, ("straat", "weg", "gracht", "laan", "plein"))
    number = str(_rand(rng, 1, 300))
    name = _pick(rng, names)
    return f"{name}{kind} {number}", f"{name}{kind} {number}"


def _street_br(rng: random.Random) -> tuple[str, str]:
    names = ("Augusta", "Paulista", "das Flores", "São João", "XV de Novembro", "Sete de Setembro",
             "Brasil", "Getúlio Vargas", "Rio Branco", "da Indústria", "Santos Dumont", "Tiradentes")
    kinds = (("Rua", "R."), ("Avenida", "Av."), ("Rodovia", "Rod."))
    number = str(_rand(rng, 1, 4000))
    name, (full, short) = _pick(rng, names), kinds[_rand(rng, len(kinds))]
    return f"{full} {name}, {number}", f"{short} {name} {number}"


def _split(s: str, at: int) -> tuple[str, str]:
    return s[:at], s[at:]


def _pairs(s: str) -> str:
    return " ".join(s[i:i + 2] for i in range(0, len(s), 2))


def _fmt(*templates: str) -> tuple[Callable[..., str], ...]:
    """Phone templates over cc (calling code), t (trunk), a (area), s (subscriber), s1/s2 (its halves)."""
    def make(template: str) -> Callable[..., str]:
        def render(cc: str, t: str, a: str, s: str) -> str:
            s1, s2 = _split(s, len(s) // 2 if len(s) != 7 else 3)
            return template.format(cc=cc, t=t, a=a, s=s, s1=s1, s2=s2)
        return render
    return tuple(make(t) for t in templates)


def _fr_formats() -> tuple[Callable[..., str], ...]:
    def national(cc: str, t: str, a: str, s: str) -> str:
        return _pairs(t + a + s)

    def dotted(cc: str, t: str, a: str, s: str) -> str:
        return _pairs(t + a + s).replace(" ", ".")

    def international(cc: str, t: str, a: str, s: str) -> str:
        return f"+{cc} {a} {_pairs(s)}"

    def with_trunk(cc: str, t: str, a: str, s: str) -> str:
        return f"+{cc} (0){a} {_pairs(s)}"

    return (national, national, dotted, international, with_trunk) + _fmt("{t}{a}{s}", "0033 {a}{s}")


def _c(name: str, area: str, sub_len: int, sub_first: str, postcode: Callable[[random.Random], str],
       *variants: str) -> City:
    return City(name, area, sub_len, sub_first, postcode, variants)


# Styles repeat to weight them: most names carry a coined brand, fewer a family name alone.
_EN_STYLES = ("{brand} {trade}",) * 3 + ("{surname} {trade}",) * 2 + (
    "{brand} {trade} {qual}", "{surname} & {surname2}", "{brand} {qual}", "{surname} {trade} {qual}")

COUNTRIES: tuple[Country, ...] = (
    Country(
        "US", "1", "", 0.25,
        (_c("New York", "212", 7, "2346789", _range(10001, 10282, 5), "NEW YORK", "New York City"),
         _c("Brooklyn", "718", 7, "2346789", _range(11201, 11256, 5)),
         _c("Los Angeles", "213", 7, "2346789", _range(90001, 90089, 5), "LA"),
         _c("Chicago", "312", 7, "2346789", _range(60601, 60661, 5)),
         _c("Houston", "713", 7, "2346789", _range(77001, 77099, 5)),
         _c("Dallas", "214", 7, "2346789", _range(75201, 75287, 5)),
         _c("Phoenix", "602", 7, "2346789", _range(85001, 85054, 5)),
         _c("Philadelphia", "215", 7, "2346789", _range(19102, 19154, 5)),
         _c("San Diego", "619", 7, "2346789", _range(92101, 92199, 5)),
         _c("Miami", "305", 7, "2346789", _range(33101, 33199, 5)),
         _c("Atlanta", "404", 7, "2346789", _range(30301, 30399, 5)),
         _c("Seattle", "206", 7, "2346789", _range(98101, 98199, 5)),
         _c("Denver", "303", 7, "2346789", _range(80201, 80299, 5)),
         _c("Boston", "617", 7, "2346789", _range(2108, 2137, 5)),
         _c("Detroit", "313", 7, "2346789", _range(48201, 48288, 5)),
         _c("Cleveland", "216", 7, "2346789", _range(44101, 44199, 5)),
         _c("Charlotte", "704", 7, "2346789", _range(28201, 28299, 5)),
         _c("Tampa", "813", 7, "2346789", _range(33601, 33694, 5)),
         _c("St. Louis", "314", 7, "2346789", _range(63101, 63199, 5), "Saint Louis"),
         _c("Minneapolis", "612", 7, "2346789", _range(55401, 55488, 5))),
        (),
        _fmt("({a}) {s1}-{s2}", "({a}) {s1}-{s2}", "{a}-{s1}-{s2}", "{a}.{s1}.{s2}", "+1 {a} {s1} {s2}",
             "1-{a}-{s1}-{s2}", "+1 ({a}) {s1}-{s2}", "{a}{s}"),
        (("Inc.", "Inc", "INC", "Incorporated"), ("LLC", "L.L.C.", "Llc"), ("Corp.", "Corporation", "Corp"),
         ("Co.", "Company", "Co"), ("",)),
        tuple(_EN_TRADES), tuple(_EN_SURNAMES), _EN_STYLES, _street_us,
        ("com", "com", "com", "net", "us", "biz"), ("gmail.com", "yahoo.com", "outlook.com", "aol.com"),
        ("USA", "United States", "U.S.A."),
    ),
    Country(
        "CN", "86", "0", 0.22,
        (_c("Ningbo", "574", 8, "2345678", _range(315000, 315899, 6), "Ningbo City", "NINGBO"),
         _c("Shenzhen", "755", 8, "2345678", _range(518000, 518133, 6), "Shenzhen City"),
         _c("Guangzhou", "20", 8, "2345678", _range(510000, 510999, 6)),
         _c("Shanghai", "21", 8, "2345678", _range(200000, 201999, 6)),
         _c("Beijing", "10", 8, "2345678", _range(100000, 102600, 6)),
         _c("Hangzhou", "571", 8, "2345678", _range(310000, 311399, 6)),
         _c("Yiwu", "579", 8, "2345678", _range(322000, 322099, 6)),
         _c("Dongguan", "769", 8, "2345678", _range(523000, 523999, 6)),
         _c("Foshan", "757", 8, "2345678", _range(528000, 528599, 6)),
         _c("Xiamen", "592", 7, "2345678", _range(361000, 361199, 6)),
         _c("Qingdao", "532", 8, "2345678", _range(266000, 266599, 6)),
         _c("Suzhou", "512", 8, "2345678", _range(215000, 215699, 6)),
         _c("Wenzhou", "577", 8, "2345678", _range(325000, 325899, 6)),
         _c("Tianjin", "22", 8, "2345678", _range(300000, 301899, 6)),
         _c("Zhongshan", "760", 8, "2345678", _range(528400, 528499, 6)),
         _c("Taizhou", "576", 8, "2345678", _range(318000, 318099, 6))),
        (("13", 9, "0123456789"), ("15", 9, "012356789"), ("18", 9, "0123456789")),
        _fmt("+86 {a} {s}", "+86-{a}-{s}", "0{a}-{s}", "0{a} {s1} {s2}", "86-{a}-{s}", "(0{a}) {s}",
             "0086 {a} {s}", "+86 ({a}) {s}"),
        (("Co., Ltd.", "Co., Ltd", "Co.,Ltd.", "Company Limited", "Co Ltd", "CO., LTD.", "Co.,Ltd"),
         ("Co., Ltd.", "Co.,Ltd"), ("Ltd.", "Limited")),
        tuple(_EN_TRADES), (), ("{city} {pinyin} {trade}", "{city} {pinyin} {trade}", "{pinyin} {trade}",
                                "{city} {pinyin} {trade} {qual}", "{city} {pinyin} Import & Export"),
        _street_cn, ("com", "cn", "com.cn", "net"), ("163.com", "126.com", "qq.com", "sina.com", "gmail.com"),
        ("China", "P.R. China", "PRC", "CHINA"),
    ),
    Country(
        "DE", "49", "0", 0.10,
        (_c("Berlin", "30", 8, "2346789", _range(10115, 14199, 5)),
         _c("Hamburg", "40", 8, "2346789", _range(20095, 22769, 5)),
         _c("München", "89", 8, "2346789", _range(80331, 81929, 5), "Muenchen", "Munich"),
         _c("Köln", "221", 7, "2345789", _range(50667, 51149, 5), "Koeln", "Cologne"),
         _c("Frankfurt am Main", "69", 8, "2345789", _range(60306, 65936, 5), "Frankfurt"),
         _c("Stuttgart", "711", 7, "2345789", _range(70173, 70629, 5)),
         _c("Düsseldorf", "211", 7, "2345789", _range(40210, 40629, 5), "Duesseldorf"),
         _c("Leipzig", "341", 7, "2345789", _range(4103, 4357, 5)),
         _c("Dresden", "351", 7, "2345789", _range(1067, 1328, 5)),
         _c("Hannover", "511", 7, "2345789", _range(30159, 30669, 5)),
         _c("Nürnberg", "911", 7, "2345789", _range(90402, 90491, 5), "Nuernberg", "Nuremberg"),
         _c("Bremen", "421", 7, "2345789", _range(28195, 28779, 5))),
        (("151", 8, "0123456789"), ("160", 7, "0123456789"), ("170", 7, "0123456789"),
         ("172", 7, "0123456789"), ("176", 8, "0123456789")),
        _fmt("+49 {a} {s}", "0{a} {s}", "0{a}/{s}", "0{a}-{s}", "(0{a}) {s1} {s2}", "+49 (0){a} {s}",
             "0049 {a} {s}", "+49-{a}-{s}", "+49 {a} {s1} {s2}"),
        (("GmbH", "GMBH", "Gmbh"), ("GmbH & Co. KG", "GmbH & Co KG", "GmbH u. Co. KG"), ("AG",), ("KG",),
         ("e.K.", "e. K."), ("",)),
        tuple(_DE_TRADES), tuple(_DE_SURNAMES),
        ("{surname} {trade}",) * 2 + ("{brand} {trade}",) * 3 + ("{surname} & {surname2}",),
        _street_de, ("de", "de", "com", "eu"), ("gmx.de", "web.de", "t-online.de", "gmail.com"),
        ("Germany", "Deutschland", "GERMANY"),
    ),
    Country(
        "GB", "44", "0", 0.10,
        (_c("London", "20", 8, "378", _gb(("EC1A", "EC2M", "W1T", "WC2H", "SE1", "E1", "N1", "SW1A", "NW1",
                                           "E14", "W6", "SW11"))),
         _c("Manchester", "161", 7, "2345789", _gb(("M1", "M2", "M3", "M4", "M12", "M17", "M50"))),
         _c("Birmingham", "121", 7, "234567", _gb(("B1", "B2", "B3", "B4", "B5", "B7", "B18"))),
         _c("Leeds", "113", 7, "23458", _gb(("LS1", "LS2", "LS9", "LS10", "LS11", "LS12"))),
         _c("Glasgow", "141", 7, "2345789", _gb(("G1", "G2", "G3", "G4", "G51", "G40"))),
         _c("Edinburgh", "131", 7, "2345678", _gb(("EH1", "EH2", "EH3", "EH6", "EH7", "EH12"))),
         _c("Bristol", "117", 7, "2349", _gb(("BS1", "BS2", "BS3", "BS5", "BS11"))),
         _c("Liverpool", "151", 7, "2345789", _gb(("L1", "L2", "L3", "L8", "L24"))),
         _c("Sheffield", "114", 7, "2345", _gb(("S1", "S2", "S3", "S9", "S60")))),
        (("7", 9, "4578"),),
        _fmt("+44 {a} {s1} {s2}", "0{a} {s1} {s2}", "(0{a}) {s1} {s2}", "+44 (0){a} {s1} {s2}",
             "0044 {a} {s}", "0{a}{s}", "+44{a}{s}"),
        (("Ltd", "Ltd.", "Limited", "LTD"), ("PLC", "plc", "Public Limited Company"), ("LLP",), ("",)),
        tuple(_EN_TRADES), tuple(_EN_SURNAMES), _EN_STYLES, _street_gb,
        ("co.uk", "co.uk", "com", "uk"), ("gmail.com", "btinternet.com", "hotmail.co.uk", "outlook.com"),
        ("United Kingdom", "UK", "Great Britain", "England"),
    ),
    Country(
        "FR", "33", "0", 0.07,
        (_c("Paris", "1", 8, "4", _range(75001, 75020, 5)),
         _c("Lyon", "4", 8, "7", _range(69001, 69009, 5)),
         _c("Marseille", "4", 8, "9", _range(13001, 13016, 5)),
         _c("Toulouse", "5", 8, "6", _range(31000, 31500, 5)),
         _c("Bordeaux", "5", 8, "5", _range(33000, 33800, 5)),
         _c("Lille", "3", 8, "2", _range(59000, 59800, 5)),
         _c("Nantes", "2", 8, "4", _range(44000, 44300, 5)),
         _c("Strasbourg", "3", 8, "8", _range(67000, 67200, 5))),
        (("6", 8, "012345678"), ("7", 8, "345678")),
        _fr_formats(),
        (("SARL", "S.A.R.L.", "Sarl"), ("SAS", "S.A.S.", "Sas"), ("SA", "S.A."), ("",)),
        tuple(_FR_TRADES), tuple(_FR_SURNAMES),
        ("{brand} {trade}",) * 6 + ("{trade} {surname}",) * 2 + ("{surname} {trade}",) * 2 + (
            "Ateliers {surname} {surname2}", "Établissements {surname} et Fils {trade}"),
        _street_fr, ("fr", "fr", "com"), ("orange.fr", "wanadoo.fr", "free.fr", "gmail.com", "laposte.net"),
        ("France", "FRANCE", "Frankreich"),
    ),
    Country(
        "IT", "39", "", 0.07,
        (_c("Milano", "02", 8, "2345678", _range(20121, 20162, 5), "Milan", "MILANO"),
         _c("Roma", "06", 8, "2345678", _range(118, 199, 5), "Rome"),
         _c("Torino", "011", 7, "2345678", _range(10121, 10156, 5), "Turin"),
         _c("Napoli", "081", 7, "2345678", _range(80121, 80147, 5), "Naples"),
         _c("Bologna", "051", 7, "2345678", _range(40121, 40141, 5)),
         _c("Firenze", "055", 7, "2345678", _range(50121, 50145, 5), "Florence"),
         _c("Bergamo", "035", 7, "2345678", _range(24121, 24129, 5)),
         _c("Brescia", "030", 7, "2345678", _range(25121, 25136, 5)),
         _c("Padova", "049", 7, "2345678", _range(35121, 35143, 5), "Padua")),
        (("32", 8, "0123456789"), ("33", 8, "0123456789"), ("34", 8, "0123456789"),
         ("39", 8, "0123456789")),
        _fmt("{a} {s}", "{a} {s1} {s2}", "+39 {a} {s}", "+39 {a} {s1} {s2}", "0039 {a}{s}", "{a}/{s}",
             "({a}) {s}", "+39{a}{s}"),
        (("S.r.l.", "Srl", "SRL", "S.R.L."), ("S.p.A.", "SpA", "S.P.A."), ("S.n.c.", "Snc"), ("",)),
        tuple(_IT_TRADES), tuple(_IT_SURNAMES),
        ("{brand} {trade}",) * 6 + ("{trade} {surname}",) * 2 + ("{surname} {trade}",) * 2 + (
            "{surname} & Figli {trade}", "Fratelli {surname} {trade}"),
        _street_it, ("it", "it", "com", "eu"), ("libero.it", "virgilio.it", "tiscali.it", "gmail.com"),
        ("Italy", "Italia", "ITALY"),
    ),
    Country(
        "ES", "34", "", 0.06,
        (_c("Madrid", "91", 7, "2345678", _range(28001, 28055, 5)),
         _c("Barcelona", "93", 7, "2345678", _range(8001, 8042, 5)),
         _c("Valencia", "96", 7, "2345678", _range(46001, 46026, 5), "València"),
         _c("Sevilla", "954", 6, "2345678", _range(41001, 41020, 5), "Seville"),
         _c("Bilbao", "944", 6, "2345678", _range(48001, 48015, 5)),
         _c("Zaragoza", "976", 6, "2345678", _range(50001, 50021, 5)),
         _c("Málaga", "952", 6, "2345678", _range(29001, 29018, 5), "Malaga")),
        (("6", 8, "0123456789"),),
        _fmt("{a} {s}", "{a}{s}", "+34 {a} {s}", "+34 {a}{s}", "0034 {a} {s}", "{a} {s1} {s2}",
             "(+34) {a} {s}"),
        (("S.L.", "SL", "S.L"), ("S.A.", "SA"), ("S.L.U.", "SLU"), ("",)),
        tuple(_ES_TRADES), tuple(_ES_SURNAMES),
        ("{brand} {trade}",) * 3 + ("{trade} {surname} {surname2}",) * 2 + (
            "{surname} Hermanos {trade}", "{surname} y {surname2}"),
        _street_es, ("es", "es", "com"), ("gmail.com", "hotmail.com", "yahoo.es", "telefonica.net"),
        ("Spain", "España", "SPAIN", "Espana"),
    ),
    Country(
        "IN", "91", "0", 0.08,
        (_c("Mumbai", "22", 8, "2456", _range(400001, 400104, 6), "Bombay"),
         _c("New Delhi", "11", 8, "24", _range(110001, 110096, 6), "Delhi"),
         _c("Bengaluru", "80", 8, "24", _range(560001, 560103, 6), "Bangalore"),
         _c("Chennai", "44", 8, "24", _range(600001, 600119, 6), "Madras"),
         _c("Kolkata", "33", 8, "24", _range(700001, 700156, 6), "Calcutta"),
         _c("Hyderabad", "40", 8, "24", _range(500001, 500096, 6)),
         _c("Pune", "20", 8, "24", _range(411001, 411062, 6)),
         _c("Ahmedabad", "79", 8, "24", _range(380001, 380061, 6))),
        (("9", 9, "0123456789"), ("8", 9, "0123456789"), ("7", 9, "0123456789")),
        _fmt("+91 {a} {s}", "+91-{a}-{s}", "0{a} {s1} {s2}", "0{a}-{s}", "({t}{a}) {s}", "+91 {a} {s1} {s2}",
             "0091 {a} {s}"),
        (("Pvt. Ltd.", "Private Limited", "Pvt Ltd", "PVT. LTD."), ("Ltd.", "Limited"), ("LLP",), ("",)),
        tuple(_EN_TRADES), tuple(_IN_SURNAMES),
        ("{surname} {trade}", "{brand} {trade}", "{brand} {trade}", "{surname} {trade} {qual}",
         "{brand} {trade} {qual}", "Shree {brand} {trade}"),
        _street_in, ("com", "in", "co.in", "net"), ("gmail.com", "rediffmail.com", "yahoo.co.in"),
        ("India", "INDIA", "Bharat"),
    ),
    Country(
        "NL", "31", "0", 0.03,
        (_c("Amsterdam", "20", 7, "2345678", _nl(1011, 1109)),
         _c("Rotterdam", "10", 7, "2345678", _nl(3011, 3089)),
         _c("Den Haag", "70", 7, "2345678", _nl(2491, 2597), "The Hague", "'s-Gravenhage"),
         _c("Utrecht", "30", 7, "2345678", _nl(3511, 3585)),
         _c("Eindhoven", "40", 7, "2345678", _nl(5611, 5658))),
        (("6", 8, "12345"),),
        _fmt("0{a} {s}", "0{a}-{s}", "+31 {a} {s}", "+31 (0){a} {s}", "0031 {a} {s}", "+31{a}{s}"),
        (("B.V.", "BV", "B.V"), ("N.V.", "NV"), ("",)),
        tuple(_NL_TRADES), tuple(_NL_SURNAMES), ("{surname} {trade}", "{brand} {trade}", "{brand} {trade}"),
        _street_nl, ("nl", "nl", "com"), ("gmail.com", "hotmail.com", "ziggo.nl", "kpnmail.nl"),
        ("Netherlands", "Nederland", "Holland"),
    ),
    Country(
        "BR", "55", "0", 0.02,
        (_c("São Paulo", "11", 8, "2345", _br(1000, 5999), "Sao Paulo", "SAO PAULO"),
         _c("Rio de Janeiro", "21", 8, "2345", _br(20000, 23799)),
         _c("Belo Horizonte", "31", 8, "2345", _br(30000, 31999)),
         _c("Curitiba", "41", 8, "2345", _br(80000, 82999)),
         _c("Porto Alegre", "51", 8, "2345", _br(90000, 91999))),
        (("9", 8, "6789"),),
        _fmt("({a}) {s1}-{s2}", "+55 {a} {s1}-{s2}", "+55 ({a}) {s1} {s2}", "{a} {s}", "+55{a}{s}"),
        (("Ltda.", "Ltda", "LTDA"), ("S.A.", "SA"), ("ME",), ("",)),
        tuple(_BR_TRADES), tuple(_BR_SURNAMES),
        ("{trade} {surname}", "{brand} {trade}", "{brand} {trade}", "{surname} & {surname2}"),
        _street_br, ("com.br", "com.br", "com"), ("uol.com.br", "bol.com.br", "gmail.com", "terra.com.br"),
        ("Brazil", "Brasil", "BRAZIL"),
    ),
)


# -- entities -----------------------------------------------------------------------------------

@dataclass
class Entity:
    """One real company: what every listing of it is rendered from."""

    country: int
    city: int
    base: str                   # name without legal form
    form: int                   # index into the country's legal forms
    area: str
    subscriber: str
    mobile_prefix: str = ""     # set when the listed phone is a mobile
    domain: str | None = None
    email_local: str | None = None
    freemail: str | None = None
    street: tuple[str, str] = ("", "")
    postcode: str = ""
    branch_label: str = ""


def _brand(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.45:
        word = _pick(rng, _PREFIXES) + _pick(rng, _SUFFIXES)
    else:
        word = "".join(_pick(rng, _SYLLABLES) for _ in range(2 + int(rng.random() < 0.5)))
    return word[0].upper() + word[1:]


def _name(rng: random.Random, country: Country, city: City) -> str:
    style = _pick(rng, country.name_styles)
    values = {"brand": _brand(rng), "trade": _pick(rng, country.trades), "qual": _pick(rng, _EN_QUALIFIERS),
              "city": city.name}
    if "{surname" in style:
        values["surname"] = _pick(rng, country.surnames)
        values["surname2"] = _pick(rng, country.surnames)
    if "{pinyin}" in style:
        values["pinyin"] = _pick(rng, _PINYIN) + _pick(rng, _PINYIN).lower()
    return style.format(**values)


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def _slug(text: str) -> str:
    """ASCII letters and digits of a name, as in its web domain: "Müller & Söhne" -> "mullersohne"."""
    text = text.lower()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
    return _NOT_SLUG.sub("", text)


@cache
def _city_weights(n: int) -> list[float]:
    """Big cities list more companies: Zipf-like cumulative weights over a country's city list."""
    return list(np.cumsum(1.0 / np.arange(1, n + 1) ** 0.8))


def _make_entity(rng: random.Random, ci: int) -> Entity:
    country = COUNTRIES[ci]
    city_i = rng.choices(range(len(country.cities)), cum_weights=_city_weights(len(country.cities)))[0]
    city = country.cities[city_i]
    base = _name(rng, country, city)
    form = _rand(rng, len(country.legal_forms))
    entity = Entity(ci, city_i, base, form, city.area, _num(rng, city.sub_len, city.sub_first),
                    street=country.street(rng), postcode=city.postcode(rng))
    if country.mobile and rng.random() < 0.12:
        prefix, digits, first = country.mobile[_rand(rng, len(country.mobile))]
        entity.mobile_prefix, entity.subscriber = prefix, _num(rng, digits, first)
        if country.code == "BR":  # mobiles keep the area code: (11) 98765-4321
            entity.area, entity.subscriber = city.area, prefix + entity.subscriber
            entity.mobile_prefix = ""
    _contact(rng, entity)
    return entity


def _contact(rng: random.Random, entity: Entity) -> None:
    """Website and e-mail of a company from its name: its own domain, or a free-mail address."""
    country, base = COUNTRIES[entity.country], entity.base
    entity.domain = entity.email_local = entity.freemail = None
    if rng.random() < 0.6:
        words = base.replace("&", " ").split()
        slug = _slug("".join(words[:2]) if len(words) > 2 and rng.random() < 0.6 else "".join(words))
        entity.domain = f"{slug}.{_pick(rng, country.tlds)}"
    if rng.random() < 0.65:
        if entity.domain and rng.random() < 0.8:
            entity.email_local = (_pick(rng, _ROLE_LOCALS) if rng.random() < 0.6
                                  else f"{_pick(rng, _FIRST_NAMES)}.{_pick(rng, _EN_SURNAMES).lower()}")
        else:
            entity.freemail = _pick(rng, country.freemail)
            # a free-mail box is personal: the name shortened, with a number or a person's name
            if rng.random() < 0.5:
                entity.email_local = f"{_slug(base)[:16]}{_rand(rng, 1, 9999)}"
            else:
                entity.email_local = f"{_pick(rng, _FIRST_NAMES)}.{_slug(base)[:12]}{_rand(rng, 1, 99)}"


def _entities(rng: random.Random, n: int) -> list[Entity]:
    weights = np.array([c.weight for c in COUNTRIES])
    countries = np.random.default_rng(_rand(rng, 2**32)).choice(len(COUNTRIES), size=n,
                                                                   p=weights / weights.sum())
    entities = [_make_entity(rng, int(ci)) for ci in countries.tolist()]
    # Registers keep names unique within a town (Handelsregister, UK Companies House, China's SAMR):
    # same-name neighbours exist only where _hard_negatives puts them.
    taken: set[tuple[int, int, str]] = set()
    for e in entities:
        key = (e.country, e.city, e.base.casefold())
        tries = 0
        while key in taken:
            tries += 1
            country = COUNTRIES[e.country]
            e.base = _name(rng, country, country.cities[e.city])
            if tries > 5:
                e.base = f"{e.base} {_brand(rng)}"
            key = (e.country, e.city, e.base.casefold())
        if tries:
            _contact(rng, e)
        taken.add(key)
    _unique_domains(entities)
    _hard_negatives(rng, entities)
    return entities


def _unique_domains(entities: list[Entity]) -> None:
    """A domain belongs to one company: later namesakes get the city or a number appended."""
    seen: dict[str, int] = {}
    for e in entities:
        if not e.domain:
            continue
        n = seen.get(e.domain, 0)
        seen[e.domain] = n + 1
        if n:
            stem, tld = e.domain.split(".", 1)
            e.domain = f"{stem}-{_slug(COUNTRIES[e.country].cities[e.city].name)}{n if n > 1 else ''}.{tld}"


def _hard_negatives(rng: random.Random, entities: list[Entity]) -> None:
    """Rewrite some entities into the cases that trip matchers; each stays its own company."""
    n = len(entities)
    order = np.random.default_rng(_rand(rng, 2**32)).permutation(n)
    cut = [0]

    def take(share: float) -> np.ndarray:
        k = int(n * share)
        chosen = order[cut[0]:cut[0] + k]
        cut[0] += k
        return chosen

    # distinct companies with one name in one city (different street, phone, website)
    sources, copies = take(0.015), take(0.015)
    for s, c in zip(sources, copies, strict=True):
        src, dst = entities[s], entities[c]
        dst.country, dst.city, dst.base, dst.area = src.country, src.city, src.base, src.area
        dst.form = _rand(rng, len(COUNTRIES[src.country].legal_forms))
        dst.mobile_prefix = ""
        dst.subscriber = _num(rng, COUNTRIES[src.country].cities[src.city].sub_len,
                              COUNTRIES[src.country].cities[src.city].sub_first)
        dst.postcode = COUNTRIES[src.country].cities[src.city].postcode(rng)
        dst.street = COUNTRIES[src.country].street(rng)
        _contact(rng, dst)
        if dst.domain:
            dst.domain = f"{_slug(dst.base)[:20]}-{_rand(rng, 10, 99)}.{dst.domain.split('.', 1)[1]}"
    # branches and franchises: one brand, often one website, each branch its own place and phone
    heads = take(0.006)
    for h in heads:
        head = entities[h]
        country = COUNTRIES[head.country]
        for b in take_branches(rng, order, cut, _rand(rng, 1, 5)):
            br = entities[b]
            br.country, br.base, br.form, br.city = head.country, head.base, head.form, head.city
            if rng.random() < 0.75:
                br.city = _rand(rng, len(country.cities))
            city = country.cities[br.city]
            br.area, br.mobile_prefix = city.area, ""
            br.subscriber = _num(rng, city.sub_len, city.sub_first)
            br.postcode, br.street = city.postcode(rng), country.street(rng)
            # a branch in the head office's town is named for its district; elsewhere often for its town
            if br.city == head.city:
                br.branch_label = _pick(rng, _DISTRICTS)
            elif rng.random() < 0.5:
                br.branch_label = city.name
            br.domain = head.domain if rng.random() < 0.6 else None
            br.email_local = (_pick(rng, _ROLE_LOCALS) if br.domain else None)
            br.freemail = None
            if rng.random() < 0.2:  # the chain's central number
                br.area, br.subscriber, br.mobile_prefix = head.area, head.subscriber, head.mobile_prefix
    # business centres: unrelated firms at one address behind one switchboard
    members = take(0.005)
    i = 0
    while i < len(members):
        size = _rand(rng, 2, 6)
        group = members[i:i + size]
        i += size
        first = entities[group[0]]
        for m in group[1:]:
            e = entities[m]
            if e.country != first.country:
                country = COUNTRIES[first.country]
                e.base = _name(rng, country, country.cities[first.city])
                e.form = _rand(rng, len(country.legal_forms))
            moved = e.country != first.country
            e.country, e.city, e.area, e.subscriber, e.mobile_prefix = (
                first.country, first.city, first.area, first.subscriber, first.mobile_prefix)
            e.street, e.postcode = first.street, first.postcode
            if moved:
                _contact(rng, e)
    # sister companies: one family name, different trades, one switchboard and address
    sisters = take(0.004)
    for a, b in zip(sisters[0::2], sisters[1::2], strict=False):
        ea, eb = entities[a], entities[b]
        country = COUNTRIES[ea.country]
        eb.country, eb.city, eb.area, eb.subscriber, eb.mobile_prefix = (
            ea.country, ea.city, ea.area, ea.subscriber, ea.mobile_prefix)
        eb.street, eb.postcode, eb.form = ea.street, ea.postcode, ea.form
        first_word = ea.base.split()[0]
        eb.base = f"{first_word} {_pick(rng, country.trades)}"
        if eb.base == ea.base:
            eb.base = f"{first_word} {_pick(rng, _EN_QUALIFIERS)}"
        _contact(rng, eb)


def take_branches(rng: random.Random, order: np.ndarray, cut: list[int], k: int) -> np.ndarray:
    chosen = order[cut[0]:cut[0] + k]
    cut[0] += k
    return chosen


# -- rendering ----------------------------------------------------------------------------------

_KEYBOARD = "qwertyuiopasdfghjklzxcvbnm"


def _typo(rng: random.Random, text: str) -> str:
    """One keyboard slip in a word of at least four letters: drop, double, swap or replace."""
    words = text.split(" ")
    candidates = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
    if not candidates:
        return text
    wi = candidates[_rand(rng, len(candidates))]
    w = words[wi]
    p = _rand(rng, 1, len(w) - 1)
    kind = _rand(rng, 4)
    if kind == 0:
        w = w[:p] + w[p + 1:]
    elif kind == 1:
        w = w[:p] + w[p] + w[p:]
    elif kind == 2:
        w = w[:p - 1] + w[p] + w[p - 1] + w[p + 1:]
    else:
        w = w[:p] + _KEYBOARD[_rand(rng, 26)] + w[p + 1:]
    words[wi] = w
    return " ".join(words)


def _abbreviate(text: str) -> str:
    words = text.split(" ")
    for i, w in enumerate(words):
        if w in _QUAL_ABBREV:
            words[i] = _QUAL_ABBREV[w]
            return " ".join(words)
    return text


def _phone(rng: random.Random, country: Country, e: Entity, fmt: int) -> str:
    render = country.phone_formats[fmt % len(country.phone_formats)]
    if e.mobile_prefix:
        number = e.mobile_prefix + e.subscriber
        return render(country.calling, country.trunk, number[:3], number[3:])
    return render(country.calling, country.trunk, e.area, e.subscriber)


def _website(rng: random.Random, domain: str, style: int) -> str:
    return (f"www.{domain}", f"http://www.{domain}", f"https://www.{domain}/", domain, f"http://{domain}",
            f"https://{domain}/en/", f"www.{domain}/contact")[style]


def _render(rng: random.Random, e: Entity, dup: bool) -> list[str]:
    """One listing of entity ``e``; a duplicate listing is written with more noise."""
    country = COUNTRIES[e.country]
    city = country.cities[e.city]
    u = [rng.random() for _ in range(16)]
    # name: the base, a branch label, one spelling of the legal form
    name = e.base
    if e.branch_label and (not dup or u[0] < 0.7):
        name = f"{name} {e.branch_label}" if u[1] < 0.5 else f"{name} - {e.branch_label}"
    spellings = country.legal_forms[e.form]
    form = spellings[0] if (not dup and u[2] < 0.75) else spellings[_rand(rng, len(spellings))]
    if dup:
        if u[3] < 0.25:
            form = ""                               # legal form left out
        if u[4] < 0.25:
            name = _typo(rng, name)
        if u[5] < 0.2:
            name = _abbreviate(name)
        if e.country == 1 and u[6] < 0.2 and name.startswith(city.name + " "):
            name = name[len(city.name) + 1:]        # Chinese names drop the city prefix
    full = f"{name}, {form}" if form and country.code in ("CN",) and u[7] < 0.3 else (
        f"{name} {form}" if form else name)
    if u[8] < (0.15 if dup else 0.05):
        full = full.upper()
    # phone: the number in one of the country's formats; a duplicate may show another line or none
    fmt = _rand(rng, len(country.phone_formats)) if (dup or u[9] < 0.4) else 0
    phone = _phone(rng, country, e, fmt)
    if dup:
        if u[10] < 0.12:
            phone = ""
        elif u[10] < 0.20 and not e.mobile_prefix:
            last = (int(e.subscriber[-1]) + 1) % 10      # the next line of the same exchange
            sub = e.subscriber[:-1] + str(last)
            phone = _phone(rng, country, Entity(e.country, e.city, "", 0, e.area, sub), fmt)
    elif u[10] < 0.04:
        phone = ""
    # e-mail, website
    email = ""
    if e.email_local:
        email = f"{e.email_local}@{e.freemail or e.domain}"
        if dup and e.domain and u[11] < 0.2:
            email = f"{_pick(rng, _ROLE_LOCALS)}@{e.domain}"
        if dup and u[11] > 0.7:
            email = ""
        if u[15] < 0.05:
            email = email.upper()
    website = ""
    if e.domain and not (dup and u[12] < 0.3):
        website = _website(rng, e.domain, _rand(rng, 7) if dup else int(u[12] * 3))
    # address
    street = e.street[1] if (dup and u[13] < 0.4) else e.street[0]
    if dup and u[13] > 0.8:
        street = ""
    elif dup and 0.75 < u[13] <= 0.8:
        street = _typo(rng, street)
    city_name = city.name
    if city.variants and u[14] < (0.25 if dup else 0.08):
        city_name = city.variants[_rand(rng, len(city.variants))]
    if dup and u[14] > 0.95:
        city_name = ""
    postcode = e.postcode
    if dup and u[6] > 0.75:
        postcode = ""
    elif country.code == "US" and u[6] < 0.08:
        postcode = f"{postcode}-{_rand(rng, 1000, 9999)}"
    country_text = country.code
    if country.names and u[15] > (0.85 if dup else 0.95):
        country_text = country.names[_rand(rng, len(country.names))]
    return [full, phone, email, website, street, city_name, postcode, country_text]


def generate(n: int, seed: int = 1, duplicate_share: float = 0.10) -> list[list[str]]:
    """``n`` rows (without header) in the order of :data:`COLUMNS`, shuffled, record ids 1..n."""
    gc_was_on = gc.isenabled()
    gc.disable()  # millions of small objects and no cycles: the collector only costs time here
    try:
        return _generate(n, seed, duplicate_share)
    finally:
        if gc_was_on:
            gc.enable()


def _generate(n: int, seed: int, duplicate_share: float) -> list[list[str]]:
    rng = random.Random(seed)
    nprng = np.random.default_rng(seed)
    n_dup = int(round(n * duplicate_share))
    n_entities = n - n_dup
    entities = _entities(rng, n_entities)
    # duplicates: a pool of companies listed more than once, most twice, some three to five times
    pool = nprng.choice(n_entities, size=max(1, int(n_dup * 0.8)), replace=False)
    sources = np.concatenate([np.arange(n_entities), pool[nprng.integers(0, len(pool), n_dup)]]).tolist()
    order = nprng.permutation(len(sources)).tolist()
    rows = []
    for rid, k in enumerate(order, 1):
        e = sources[k]
        row = _render(rng, entities[e], k >= n_entities)
        rows.append([str(rid), *row, f"E{e}"])
    return rows


def write_csv(rows: list[list[str]], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.part")
    with tmp.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    tmp.replace(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    started = time.perf_counter()
    rows = generate(args.rows, args.seed)
    write_csv(rows, args.out)
    print(f"{len(rows)} rows written to {args.out} in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
