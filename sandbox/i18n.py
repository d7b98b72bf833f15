"""The world in Chinese, German and French: search terms, category labels, products, hanzi.

Why a table module: the Chinese, German and French directories must be
searchable by exactly the terms of ``config/keywords.yaml`` in their language,
and a Chinese company's hanzi name must be built from the same parts as its
English name (city, brand word, industry word, legal form) so that a pipeline
can learn to match the two. Keeping every translation here lets the tests check
the tables against ``keywords.yaml`` and check that no two parts collide.
"""

from __future__ import annotations

# The search term of each category per language, exactly as in config/keywords.yaml
# (tests/test_sandbox.py compares them). English terms are CATEGORY_TERMS themselves.
SEARCH_TERMS: dict[str, dict[str, str]] = {
    "zh": {
        "led lighting": "LED照明",
        "solar panels": "太阳能电池板",
        "industrial valves": "工业阀门",
        "packaging machinery": "包装机械",
        "hand tools": "手动工具",
        "cotton fabric": "棉布",
        "office furniture": "办公家具",
        "auto parts": "汽车配件",
    },
    "de": {
        "led lighting": "LED-Beleuchtung",
        "solar panels": "Solarmodule",
        "industrial valves": "Industriearmaturen",
        "packaging machinery": "Verpackungsmaschinen",
        "hand tools": "Handwerkzeuge",
        "cotton fabric": "Baumwollstoff",
        "office furniture": "Büromöbel",
        "auto parts": "Autoteile",
    },
    "fr": {
        "led lighting": "éclairage LED",
        "solar panels": "panneaux solaires",
        "industrial valves": "vannes industrielles",
        "packaging machinery": "machines d'emballage",
        "hand tools": "outils à main",
        "cotton fabric": "tissu de coton",
        "office furniture": "mobilier de bureau",
        "auto parts": "pièces auto",
    },
}

# Further category labels a directory shows after the search term's own label.
EXTRA_LABELS: dict[str, dict[str, tuple[str, ...]]] = {
    "zh": {
        "led lighting": ("照明灯具", "LED灯具"),
        "solar panels": ("光伏组件", "太阳能设备"),
        "industrial valves": ("阀门管件", "流体控制"),
        "packaging machinery": ("包装设备", "灌装设备"),
        "hand tools": ("五金工具", "手工具"),
        "cotton fabric": ("纺织面料", "纯棉面料"),
        "office furniture": ("办公桌椅", "商用家具"),
        "auto parts": ("汽配", "汽车零部件"),
    },
    "de": {
        "led lighting": ("Leuchten und Lampen", "Lichttechnik"),
        "solar panels": ("Photovoltaik", "Solartechnik"),
        "industrial valves": ("Armaturen", "Ventile"),
        "packaging machinery": ("Verpackungstechnik", "Abfülltechnik"),
        "hand tools": ("Werkzeuge", "Eisenwaren"),
        "cotton fabric": ("Stoffe", "Textilien"),
        "office furniture": ("Büroeinrichtung", "Objekteinrichtung"),
        "auto parts": ("Kfz-Teile", "Autozubehör"),
    },
    "fr": {
        "led lighting": ("Luminaires", "Éclairage industriel"),
        "solar panels": ("Photovoltaïque", "Énergie solaire"),
        "industrial valves": ("Robinetterie industrielle", "Vannes"),
        "packaging machinery": ("Conditionnement", "Emballage"),
        "hand tools": ("Outillage", "Quincaillerie"),
        "cotton fabric": ("Tissus", "Textiles"),
        "office furniture": ("Agencement de bureaux", "Mobilier professionnel"),
        "auto parts": ("Équipement automobile", "Accessoires auto"),
    },
}

# English product phrase (vocab.CATEGORIES products) -> (zh, de, fr).
PRODUCTS: dict[str, tuple[str, str, str]] = {
    "LED Bulb": ("LED球泡灯", "LED-Lampe", "Ampoule LED"),
    "LED Panel Light": ("LED面板灯", "LED-Panel", "Panneau LED"),
    "LED Strip": ("LED灯带", "LED-Streifen", "Ruban LED"),
    "LED Flood Light": ("LED投光灯", "LED-Fluter", "Projecteur LED"),
    "LED High Bay Light": ("LED工矿灯", "LED-Hallenstrahler", "Cloche industrielle LED"),
    "LED Street Light": ("LED路灯", "LED-Straßenleuchte", "Lampadaire LED"),
    "LED Tube": ("LED灯管", "LED-Röhre", "Tube LED"),
    "Monocrystalline Solar Panel": (
        "单晶硅太阳能板",
        "Monokristallines Solarmodul",
        "Panneau solaire monocristallin",
    ),
    "Polycrystalline Solar Panel": (
        "多晶硅太阳能板",
        "Polykristallines Solarmodul",
        "Panneau solaire polycristallin",
    ),
    "Solar Module": ("太阳能组件", "Solarmodul", "Module photovoltaïque"),
    "Solar Inverter": ("太阳能逆变器", "Wechselrichter", "Onduleur solaire"),
    "Solar Mounting System": ("太阳能支架", "Montagesystem", "Système de fixation solaire"),
    "Solar Charge Controller": ("太阳能控制器", "Laderegler", "Régulateur de charge solaire"),
    "Ball Valve": ("球阀", "Kugelhahn", "Vanne à boisseau sphérique"),
    "Gate Valve": ("闸阀", "Absperrschieber", "Robinet-vanne"),
    "Butterfly Valve": ("蝶阀", "Absperrklappe", "Vanne papillon"),
    "Check Valve": ("止回阀", "Rückschlagventil", "Clapet anti-retour"),
    "Globe Valve": ("截止阀", "Durchgangsventil", "Robinet à soupape"),
    "Pressure Relief Valve": ("安全阀", "Sicherheitsventil", "Soupape de sûreté"),
    "Filling Machine": ("灌装机", "Abfüllmaschine", "Remplisseuse"),
    "Capping Machine": ("旋盖机", "Verschließmaschine", "Boucheuse"),
    "Labeling Machine": ("贴标机", "Etikettiermaschine", "Étiqueteuse"),
    "Shrink Wrapping Machine": ("热收缩包装机", "Schrumpfverpackungsmaschine", "Fardeleuse"),
    "Carton Sealer": ("封箱机", "Kartonverschließer", "Fermeuse de cartons"),
    "Vacuum Packing Machine": ("真空包装机", "Vakuumverpackungsmaschine", "Machine sous vide"),
    "Wrench Set": ("扳手套装", "Schraubenschlüsselsatz", "Jeu de clés plates"),
    "Pliers": ("钳子", "Zange", "Pince"),
    "Screwdriver Set": ("螺丝刀套装", "Schraubendrehersatz", "Jeu de tournevis"),
    "Claw Hammer": ("羊角锤", "Klauenhammer", "Marteau arrache-clou"),
    "Socket Set": ("套筒扳手", "Steckschlüsselsatz", "Coffret de douilles"),
    "Tape Measure": ("卷尺", "Maßband", "Mètre ruban"),
    "Cotton Poplin": ("纯棉府绸", "Baumwollpopeline", "Popeline"),
    "Cotton Twill": ("纯棉斜纹布", "Baumwollköper", "Sergé"),
    "Denim Fabric": ("牛仔布", "Denimstoff", "Toile denim"),
    "Canvas Fabric": ("帆布", "Segeltuch", "Toile canvas"),
    "Cotton Jersey": ("棉针织布", "Baumwolljersey", "Jersey"),
    "Muslin Fabric": ("平纹细布", "Musselin", "Mousseline"),
    "Office Chair": ("办公椅", "Bürostuhl", "Fauteuil de bureau"),
    "Office Desk": ("办公桌", "Schreibtisch", "Bureau"),
    "Filing Cabinet": ("文件柜", "Aktenschrank", "Armoire de classement"),
    "Conference Table": ("会议桌", "Konferenztisch", "Table de réunion"),
    "Workstation": ("办公工位", "Arbeitsplatz", "Poste de travail"),
    "Reception Desk": ("前台", "Empfangstheke", "Banque d'accueil"),
    "Brake Pad": ("刹车片", "Bremsbelag", "Plaquette de frein"),
    "Brake Disc": ("刹车盘", "Bremsscheibe", "Disque de frein"),
    "Shock Absorber": ("减震器", "Stoßdämpfer", "Amortisseur"),
    "Radiator": ("散热器", "Kühler", "Radiateur"),
    "Spark Plug": ("火花塞", "Zündkerze", "Bougie d'allumage"),
    "Wheel Hub Bearing": ("轮毂轴承", "Radlager", "Roulement de roue"),
}
_LANG_INDEX = {"zh": 0, "de": 1, "fr": 2}


def product(name: str, language: str) -> str:
    """``name`` (an English product phrase) in ``language``; English stays as it is."""
    if language == "en":
        return name
    return PRODUCTS[name][_LANG_INDEX[language]]


def category_labels(categories: list[str], language: str) -> list[str]:
    """The search term of each category, capitalised as a directory shows a heading."""
    labels = [SEARCH_TERMS[language][term] for term in categories]
    return [label[:1].upper() + label[1:] for label in labels]


# --- Chinese company names -------------------------------------------------------------

# Brand word of a Chinese company -> (hanzi, pinyin). Pinyin brands are their own pinyin;
# English-style brands ("Brightway") carry the Chinese name the company registered.
BRANDS_ZH: dict[str, tuple[str, str]] = {
    "Brightway": ("博威", "Bowei"),
    "Sunrise": ("旭日", "Xuri"),
    "Goldstar": ("金星", "Jinxing"),
    "Everbright": ("光大", "Guangda"),
    "Hongda": ("宏达", "Hongda"),
    "Tianli": ("天力", "Tianli"),
    "Huaxin": ("华鑫", "Huaxin"),
    "Xinda": ("鑫达", "Xinda"),
    "Yongsheng": ("永盛", "Yongsheng"),
    "Haitian": ("海天", "Haitian"),
    "Dongfang": ("东方", "Dongfang"),
    "Zhongtai": ("中泰", "Zhongtai"),
    "Kaida": ("凯达", "Kaida"),
    "Ruifeng": ("瑞丰", "Ruifeng"),
    "Shengda": ("盛达", "Shengda"),
    "Weiye": ("伟业", "Weiye"),
    "Lianfa": ("联发", "Lianfa"),
    "Hengtai": ("恒泰", "Hengtai"),
    "Greenpower": ("绿能", "Lvneng"),
    "Topsun": ("拓阳", "Tuoyang"),
    "Powerstar": ("力星", "Lixing"),
    "Unitech": ("联创", "Lianchuang"),
    "Meiling": ("美菱", "Meiling"),
    "Jiahe": ("嘉禾", "Jiahe"),
    "Fuda": ("富达", "Fuda"),
    "Jinlong": ("金龙", "Jinlong"),
    "Baolai": ("宝莱", "Baolai"),
    "Hongxing": ("鸿星", "Hongxing"),
    "Longsheng": ("隆盛", "Longsheng"),
    "Xinghua": ("兴华", "Xinghua"),
    "Tengfei": ("腾飞", "Tengfei"),
    "Zhongxin": ("中鑫", "Zhongxin"),
    "Huayang": ("华阳", "Huayang"),
    "Sanhe": ("三和", "Sanhe"),
    "Kingsun": ("金阳", "Jinyang"),
    "Yuanda": ("远大", "Yuanda"),
    "Minghui": ("明辉", "Minghui"),
    "Jiali": ("佳丽", "Jiali"),
    "Haoyu": ("浩宇", "Haoyu"),
    "Chenguang": ("晨光", "Chenguang"),
    "Dingsheng": ("鼎盛", "Dingsheng"),
    "Hexing": ("和兴", "Hexing"),
    "Rongda": ("荣达", "Rongda"),
    "Taisheng": ("泰盛", "Taisheng"),
    "Wanfeng": ("万丰", "Wanfeng"),
    "Xinyuan": ("鑫源", "Xinyuan"),
    "Yida": ("亿达", "Yida"),
    "Zhenhua": ("振华", "Zhenhua"),
    "Anpu": ("安普", "Anpu"),
    "Boyuan": ("博远", "Boyuan"),
    "Chuangxin": ("创新", "Chuangxin"),
    "Desheng": ("德胜", "Desheng"),
    "Fangyuan": ("方圆", "Fangyuan"),
    "Guanghui": ("光辉", "Guanghui"),
    "Hairun": ("海润", "Hairun"),
    "Jinhai": ("金海", "Jinhai"),
    "Kaixuan": ("凯旋", "Kaixuan"),
    "Lida": ("立达", "Lida"),
    "Mingyang": ("明阳", "Mingyang"),
    "Nuocheng": ("诺诚", "Nuocheng"),
    "Pengcheng": ("鹏程", "Pengcheng"),
    "Qiangsheng": ("强盛", "Qiangsheng"),
    "Runtian": ("润天", "Runtian"),
    "Sanxing": ("三兴", "Sanxing"),
    "Tongda": ("通达", "Tongda"),
    "Weida": ("伟达", "Weida"),
    "Xiangyu": ("翔宇", "Xiangyu"),
    "Yongxin": ("永新", "Yongxin"),
    "Zhongheng": ("中恒", "Zhongheng"),
    "Goodluck": ("好运", "Haoyun"),
    "Guangming": ("光明", "Guangming"),
}

# English industry word of a Chinese company name -> its hanzi form (injective).
INDUSTRY_ZH: dict[str, str] = {
    "Lighting": "照明",
    "Lighting Technology": "照明科技",
    "Optoelectronics": "光电",
    "Optoelectronic Technology": "光电科技",
    "Lighting Appliance": "照明电器",
    "Solar": "太阳能",
    "Solar Energy": "太阳能源",
    "New Energy": "新能源",
    "Photovoltaic Technology": "光伏科技",
    "Solar Technology": "太阳能科技",
    "Valve": "阀门",
    "Valve Manufacturing": "阀门制造",
    "Fluid Control": "流体控制",
    "Valves & Fittings": "阀门管件",
    "Pump & Valve": "泵阀",
    "Packaging Machinery": "包装机械",
    "Machinery": "机械",
    "Packing Machine": "包装机",
    "Automation Equipment": "自动化设备",
    "Machinery Manufacturing": "机械制造",
    "Tools": "工具",
    "Hardware Tools": "五金工具",
    "Hardware": "五金",
    "Tool Manufacturing": "工具制造",
    "Hardware & Tools": "五金制品",
    "Textile": "纺织",
    "Textiles": "纺织品",
    "Fabric": "布业",
    "Textile International": "国际纺织",
    "Knitting & Weaving": "针纺织",
    "Furniture": "家具",
    "Office Furniture": "办公家具",
    "Furniture Manufacturing": "家具制造",
    "Furnishing": "家居",
    "Auto Parts": "汽车配件",
    "Auto Parts Manufacturing": "汽配制造",
    "Automotive Components": "汽车零部件",
    "Motor Parts": "机车配件",
    "Auto Accessories": "汽车用品",
    "Import & Export": "进出口",
    "Industrial & Trading": "工贸",
    "International Trading": "国际贸易",
}

# A Chinese company's legal form; all of them are "Co., Ltd." in English.
LEGAL_FORMS_ZH: tuple[tuple[str, int], ...] = (("有限公司", 85), ("股份有限公司", 15))

CITIES_ZH: dict[str, str] = {
    "Ningbo": "宁波",
    "Shenzhen": "深圳",
    "Guangzhou": "广州",
    "Yiwu": "义乌",
    "Hangzhou": "杭州",
    "Shanghai": "上海",
    "Dongguan": "东莞",
    "Wenzhou": "温州",
}

PROVINCES_ZH: dict[str, str] = {"Zhejiang": "浙江省", "Guangdong": "广东省", "Shanghai": "上海市"}

DISTRICTS_ZH: dict[str, str] = {
    "Yinzhou": "鄞州区",
    "Beilun": "北仑区",
    "Zhenhai": "镇海区",
    "Jiangbei": "江北区",
    "Haishu": "海曙区",
    "Bao'an": "宝安区",
    "Longgang": "龙岗区",
    "Nanshan": "南山区",
    "Longhua": "龙华区",
    "Futian": "福田区",
    "Baiyun": "白云区",
    "Panyu": "番禺区",
    "Huadu": "花都区",
    "Tianhe": "天河区",
    "Choucheng": "稠城街道",
    "Beiyuan": "北苑街道",
    "Jiangdong": "江东街道",
    "Fotang": "佛堂镇",
    "Xiaoshan": "萧山区",
    "Yuhang": "余杭区",
    "Binjiang": "滨江区",
    "Gongshu": "拱墅区",
    "Songjiang": "松江区",
    "Jiading": "嘉定区",
    "Minhang": "闵行区",
    "Pudong New": "浦东新区",
    "Baoshan": "宝山区",
    "Chang'an": "长安镇",
    "Humen": "虎门镇",
    "Houjie": "厚街镇",
    "Tangxia": "塘厦镇",
    "Longwan": "龙湾区",
    "Ouhai": "瓯海区",
    "Lucheng": "鹿城区",
    "Yongjia": "永嘉县",
}

ROADS_ZH: dict[str, str] = {
    "Xingye": "兴业路",
    "Jiangnan": "江南路",
    "Huancheng": "环城路",
    "Zhongshan": "中山路",
    "Renmin": "人民路",
    "Jinhai": "金海路",
    "Gongye": "工业路",
    "Chuangye": "创业路",
    "Fuxing": "复兴路",
    "Jianshe": "建设路",
    "Keji": "科技路",
    "Qianjin": "前进路",
    "Dongfeng": "东风路",
    "Huaxia": "华夏路",
}

SURNAMES_ZH: dict[str, str] = {
    "Wang": "王",
    "Chen": "陈",
    "Zhang": "张",
    "Li": "李",
    "Liu": "刘",
    "Yang": "杨",
    "Huang": "黄",
    "Zhao": "赵",
    "Wu": "吴",
    "Zhou": "周",
    "Xu": "徐",
    "Sun": "孙",
    "Ma": "马",
    "Zhu": "朱",
}
GIVEN_NAMES_ZH: dict[str, str] = {"Wei": "伟", "Jun": "军", "Mei": "梅", "Fang": "芳"}

TITLES_ZH: dict[str, str] = {
    "Sales Manager": "销售经理",
    "Export Manager": "出口部经理",
    "General Manager": "总经理",
    "Sales Director": "销售总监",
    "Foreign Trade Manager": "外贸经理",
    "Overseas Sales": "海外销售",
}

BUSINESS_TYPES_ZH: dict[str, str] = {
    "Manufacturer": "生产厂家",
    "Trading Company": "贸易公司",
    "Manufacturer, Trading Company": "生产厂家, 贸易公司",
}

# German names of the regions a German company's address shows.
REGIONS_DE: dict[str, str] = {
    "Bavaria": "Bayern",
    "Baden-Württemberg": "Baden-Württemberg",
    "North Rhine-Westphalia": "Nordrhein-Westfalen",
    "Hesse": "Hessen",
    "Lower Saxony": "Niedersachsen",
    "Saxony": "Sachsen",
    "Berlin": "Berlin",
    "Hamburg": "Hamburg",
}
