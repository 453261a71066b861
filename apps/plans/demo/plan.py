"""Morocco's second national action plan (2021–2023), as the seed minutes show it.

Arabic commitment titles, pending activities and their percentages come from the seed
itself (``apps.plans.seed``); this module adds what the minutes leave implicit: the
themes (the five groups of OGP's Action Plan Review 2021–2023), French and English
titles, the responsible institutions and the OGP values.
"""

import datetime
from typing import Any

PLAN: dict[str, Any] = {
    "slug": "morocco-2021-2023",
    "ordinal": 2,
    "status": "implementation",
    "period_start": datetime.date(2021, 1, 1),
    "period_end": datetime.date(2023, 12, 31),
    "member": ("المغرب", "Maroc", "Morocco"),
    "title": (
        "خطة العمل الوطنية للحكومة المنفتحة 2021–2023",
        "Plan d'action national pour un gouvernement ouvert 2021–2023",
        "National Open Government Action Plan 2021–2023",
    ),
}

THEMES = [
    (
        "الشفافية وجودة المرافق العمومية",
        "Transparence et qualité des services publics",
        "Transparency and quality of public services",
    ),
    ("المساواة والإدماج", "Égalité et inclusion", "Equality and inclusivity"),
    ("العدالة المنفتحة", "Justice ouverte", "Open justice"),
    ("المشاركة المواطنة", "Participation citoyenne", "Citizen participation"),
    (
        "الجماعات الترابية المنفتحة",
        "Collectivités territoriales ouvertes",
        "Open local communities",
    ),
]

# OGP values: I access to information, P civic participation, A public accountability,
# T technology and innovation.
# number: (theme index, lead slug, supporting slugs, values, title fr, title en)
COMMITMENTS = {
    1: (
        0,
        "budget",
        [],
        "IPA",
        "Renforcer la transparence budgétaire",
        "Strengthening fiscal transparency",
    ),
    2: (
        0,
        "mtnra",
        [],
        "IT",
        "Renforcer la mise en œuvre du droit d'accès à l'information dans les administrations "
        "et établissements publics",
        "Strengthening the implementation of the right of access to information in public "
        "administrations and institutions",
    ),
    3: (
        0,
        "mtnra",
        [],
        "A",
        "Adopter la Charte des services publics et accompagner sa mise en œuvre",
        "Issuing the Public Services Charter and supporting its implementation",
    ),
    4: (
        0,
        "mtnra",
        [],
        "IT",
        "Recenser, publier et simplifier les procédures administratives en vue de leur "
        "digitalisation",
        "Recording, publishing and simplifying administrative procedures with a view to "
        "digitising them",
    ),
    5: (
        0,
        "education",
        [],
        "IT",
        "Publication proactive des informations et des données statistiques du secteur de "
        "l'éducation nationale",
        "Proactive publication of information and statistics of the national education sector",
    ),
    6: (
        0,
        "health",
        [],
        "IA",
        "Améliorer la gouvernance du médicament",
        "Improving pharmaceutical governance",
    ),
    7: (
        0,
        "health",
        [],
        "PA",
        "Renforcer la transparence et la participation dans la gestion des services de santé",
        "Strengthening transparency and participation in the management of health services",
    ),
    8: (
        0,
        "health",
        [],
        "T",
        "Développer un système d'information sanitaire intégré",
        "Developing an integrated health information system",
    ),
    9: (
        0,
        "inpplc",
        [],
        "IAT",
        "Créer un portail national de l'intégrité",
        "Creating a national integrity portal",
    ),
    10: (
        0,
        "add",
        ["mtnra"],
        "IT",
        "Promouvoir la publication et la réutilisation des données ouvertes",
        "Promoting the publication and re-use of open data",
    ),
    11: (
        1,
        "solidarity",
        [],
        "P",
        "Promouvoir l'égalité, la participation des femmes à la vie publique et leur "
        "autonomisation économique",
        "Promoting equality, women's participation in public life and their economic empowerment",
    ),
    12: (
        1,
        "solidarity",
        [],
        "IP",
        "Renforcer l'accès à l'information des personnes en situation de handicap",
        "Strengthening access to information for persons with disabilities",
    ),
    13: (
        1,
        "solidarity",
        [],
        "AT",
        "Améliorer la qualité des services publics de protection de l'enfance",
        "Improving the quality of public child-protection services",
    ),
    14: (
        2,
        "justice",
        ["cspj"],
        "IT",
        "Publier les textes juridiques, les jugements, les décisions et la jurisprudence",
        "Publishing legal texts, judgments, decisions and case law",
    ),
    15: (
        2,
        "justice",
        [],
        "T",
        "Encadrer juridiquement l'usage des moyens électroniques dans les procédures judiciaires",
        "Providing a legal framework for the use of electronic means in litigation",
    ),
    16: (
        2,
        "justice",
        [],
        "T",
        "Renforcer l'implication des professionnels de la justice dans la transformation "
        "numérique de la justice",
        "Strengthening the involvement of justice professionals in the digital transformation "
        "of justice",
    ),
    17: (
        3,
        "mcrp",
        [],
        "PT",
        "Créer un portail national de formation à distance des associations",
        "Creating a national e-learning portal for associations",
    ),
    18: (
        3,
        "mcrp",
        [],
        "IA",
        "Mettre en place des mécanismes de transparence du soutien public accordé aux "
        "organisations de la société civile",
        "Setting up mechanisms for the transparency of public funding granted to civil-society "
        "organisations",
    ),
    19: (
        3,
        "mcrp",
        [],
        "P",
        "Renforcer la participation citoyenne par un cadre juridique de la consultation publique "
        "et du volontariat contractuel",
        "Strengthening citizen participation through a legal framework for public consultation "
        "and contractual volunteering",
    ),
    20: (
        3,
        "mtedd",
        ["mcrp"],
        "P",
        "Mobiliser la société civile et renforcer ses capacités pour améliorer sa participation à "
        "l'élaboration, au suivi et à la mise en œuvre de la politique environnementale",
        "Mobilising civil society and building its capacity to take part in preparing, "
        "monitoring and implementing environmental policy",
    ),
    21: (
        4,
        "dgct",
        ["mtnra"],
        "IP",
        "Renforcer l'accès à l'information et la participation citoyenne au niveau des "
        "collectivités territoriales",
        "Strengthening access to information and citizen participation in local authorities",
    ),
    22: (
        4,
        "dgct",
        [],
        "P",
        "Élaborer et diffuser une boîte à outils pour renforcer la communication et la "
        "participation citoyenne dans les collectivités territoriales",
        "Preparing and publishing a toolkit to strengthen communication and citizen "
        "participation in local authorities",
    ),
}

GROUPING_TITLE = (
    "الأنشطة المنجزة (غير مفصلة في محضر اجتماع 28 مارس 2023)",
    "Activités achevées (non détaillées dans le procès-verbal du 28 mars 2023)",
    "Completed activities (not itemised in the minutes of 28 March 2023)",
)
