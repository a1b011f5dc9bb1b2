"""The sample city's catalog: the departments a New England city runs 311 for, and its services.

Plain data, loaded by ``civic311 load-sample``; a real city edits its own catalog in the admin.
Each service: (code, name, group, department slug, target hours, kind, keywords, notice, questions).
Each question: (code, description, datatype, required, values as ((key, name), ...)).
"""

from __future__ import annotations

from typing import Any

YES_NO = (("yes", "Yes"), ("no", "No"))

DEPARTMENTS: list[tuple[str, str, str, str, str, str]] = [
    # slug, name, phone, email, hours, description
    ("public-works", "Public Works", "(617) 555-0101", "dpw@sample.civic311.org", "Mon-Fri 7:00 am-3:30 pm",
     "Streets, sidewalks, street lights, trash and recycling, snow and ice."),
    ("parks", "Parks and Recreation", "(617) 555-0102", "parks@sample.civic311.org", "Mon-Fri 8:00 am-4:00 pm",
     "Parks, playgrounds, street trees and the urban forest."),
    ("isd", "Inspectional Services", "(617) 555-0103", "isd@sample.civic311.org", "Mon-Fri 8:30 am-4:30 pm",
     "Housing, building and health code enforcement; abandoned buildings; rodents."),
    ("police-ordinance", "Police Ordinance Squad", "(617) 555-0104", "ordinance@sample.civic311.org",
     "Every day, 24 hours", "Abandoned vehicles, parking enforcement, noise and ordinance complaints."),
    ("city-clerk", "City Clerk", "(617) 555-0105", "clerk@sample.civic311.org", "Mon-Fri 8:30 am-4:30 pm",
     "Birth, death and marriage certificates, dog licenses, business certificates."),
    ("treasury", "Collector/Treasurer", "(617) 555-0106", "treasury@sample.civic311.org", "Mon-Fri 8:30 am-4:30 pm",
     "Property and excise tax bills, parking ticket payments, refunds."),
    ("transportation", "Transportation", "(617) 555-0107", "traffic@sample.civic311.org", "Mon-Fri 8:00 am-4:00 pm",
     "Traffic signals, signs, pavement markings, parking meters."),
]  # fmt: skip

SIZE = (
    "size",
    "How large is it?",
    "singlevaluelist",
    False,
    (("small", "Smaller than a dinner plate"), ("medium", "Up to a car tire"), ("large", "Larger than a car tire")),
)
HAZARD = ("hazard", "Is it a danger to people or traffic right now?", "singlevaluelist", True, YES_NO)

SERVICES: list[tuple[Any, ...]] = [
    ("POTHOLE", "Pothole", "Streets and sidewalks", "public-works", 48, "realtime", "pothole,hole,road,pavement",
     "Potholes are repaired within 48 hours.",
     [SIZE, ("lane", "Where in the street is it?", "singlevaluelist", False,
             (("travel", "Travel lane"), ("crosswalk", "Crosswalk"), ("gutter", "Gutter or curb")))]),
    ("SIDEWALK-REPAIR", "Sidewalk repair", "Streets and sidewalks", "public-works", 720, "realtime",
     "sidewalk,trip hazard,broken sidewalk", "", [HAZARD]),
    ("STREETLIGHT", "Street light out", "Streets and sidewalks", "public-works", 72, "realtime",
     "street light,light out,dark,lamp", "Street lights are repaired within 3 days.",
     [("pole_number", "Pole number (on a tag on the pole), if you can see it", "string", False, ()),
      ("problem", "What is wrong?", "singlevaluelist", True,
       (("out", "Light is out"), ("flicker", "Light flickers"), ("day", "On during the day"),
        ("damaged", "Pole damaged")))]),
    ("STREET-CLEANING", "Street cleaning", "Streets and sidewalks", "public-works", 120, "realtime",
     "sweeping,street cleaning,debris", "", []),
    ("GRAFFITI", "Graffiti removal", "Streets and sidewalks", "public-works", 168, "realtime",
     "graffiti,tag,vandalism,paint", "",
     [("surface", "What is it on?", "singlevaluelist", True,
       (("public", "Public property"), ("private", "Private building"), ("sign", "Sign or pole"))),
      ("offensive", "Is it offensive or hateful?", "singlevaluelist", False, YES_NO)]),
    ("MISSED-TRASH", "Missed trash pickup", "Trash and recycling", "public-works", 24, "realtime",
     "trash,garbage,missed pickup,collection", "Missed pickups are collected the next business day.",
     [("out_by", "Were the barrels out by 7 am on collection day?", "singlevaluelist", True, YES_NO)]),
    ("MISSED-RECYCLING", "Missed recycling pickup", "Trash and recycling", "public-works", 24, "realtime",
     "recycling,missed pickup,blue cart", "",
     [("out_by", "Was the cart out by 7 am on collection day?", "singlevaluelist", True, YES_NO)]),
    ("BULK-ITEM", "Bulk item pickup", "Trash and recycling", "public-works", 168, "batch",
     "furniture,mattress,couch,bulk,appliance", "A crew will pick up on your next collection day.",
     [("items", "Which items?", "multivaluelist", True,
       (("mattress", "Mattress or box spring"), ("furniture", "Furniture"), ("appliance", "Appliance"),
        ("tv", "TV or monitor"), ("other", "Other"))),
      ("count", "How many items?", "number", True, ())]),
    ("ILLEGAL-DUMPING", "Illegal dumping", "Trash and recycling", "public-works", 72, "realtime",
     "dumping,dumped,trash pile", "", [("what", "What was dumped?", "text", False, ())]),
    ("OVERFLOWING-BIN", "Overflowing public trash can", "Trash and recycling", "public-works", 24, "realtime",
     "litter basket,trash can,overflowing", "", []),
    ("DEAD-ANIMAL", "Dead animal pickup", "Trash and recycling", "public-works", 24, "realtime",
     "dead animal,carcass,roadkill", "",
     [("animal", "What kind of animal?", "singlevaluelist", False,
       (("small", "Small (squirrel, bird, cat)"), ("large", "Large (dog, deer)")))]),
    ("SNOW-SIDEWALK", "Unshoveled sidewalk", "Snow and ice", "public-works", 24, "realtime",
     "snow,ice,sidewalk,unshoveled,shovel", "Property owners must clear sidewalks within 3 hours of snowfall ending.",
     []),
    ("SNOW-PLOW", "Street not plowed", "Snow and ice", "public-works", 12, "realtime", "plow,snow,unplowed,street",
     "", []),
    ("ICY-ROAD", "Icy street or sidewalk", "Snow and ice", "public-works", 12, "realtime", "ice,icy,salt,sand", "",
     [HAZARD]),
    ("TREE-DOWN", "Tree or limb down", "Trees and parks", "parks", 24, "realtime", "tree down,branch,limb,storm",
     "Emergencies blocking a street: call 911.",
     [HAZARD, ("wires", "Is it touching power lines?", "singlevaluelist", True, YES_NO)]),
    ("TREE-PRUNING", "Tree pruning", "Trees and parks", "parks", 2160, "batch", "prune,trim,tree,branches", "",
     []),
    ("TREE-PLANTING", "New street tree", "Trees and parks", "parks", 4320, "blackbox", "plant,tree,new tree",
     "Trees are planted in spring and fall.", []),
    ("PARK-MAINTENANCE", "Park maintenance", "Trees and parks", "parks", 168, "realtime",
     "park,playground,bench,field", "",
     [("park_name", "Which park?", "string", True, ()),
      ("issue", "What needs attention?", "singlevaluelist", True,
       (("playground", "Playground equipment"), ("bench", "Bench or table"), ("grass", "Grass or field"),
        ("litter", "Litter"), ("other", "Other")))]),
    ("ABANDONED-BUILDING", "Abandoned building", "Housing and buildings", "isd", 240, "realtime",
     "vacant,abandoned,boarded,building", "",
     [("open", "Is the building open to entry?", "singlevaluelist", True, YES_NO),
      ("occupied", "Do people appear to be living there?", "singlevaluelist", False, YES_NO)]),
    ("HOUSING-CODE", "Housing code complaint", "Housing and buildings", "isd", 72, "realtime",
     "heat,no heat,landlord,mold,leak,apartment", "An inspector will contact you to arrange a visit.",
     [("problem", "What is the problem?", "multivaluelist", True,
       (("heat", "No heat"), ("hot_water", "No hot water"), ("leak", "Leak"), ("mold", "Mold"),
        ("pests", "Pests"), ("other", "Other"))),
      ("unit", "Apartment or unit number", "string", False, ())]),
    ("RODENT", "Rodent activity", "Housing and buildings", "isd", 120, "realtime", "rats,mice,rodent,pest", "",
     [("where", "Where did you see them?", "singlevaluelist", True,
       (("street", "Street or sidewalk"), ("yard", "Yard or alley"), ("building", "Inside a building")))]),
    ("ILLEGAL-CONSTRUCTION", "Construction without a permit", "Housing and buildings", "isd", 120, "realtime",
     "construction,permit,work,renovation", "", [("when_seen", "When did you see the work?", "datetime", False, ())]),
    ("ABANDONED-VEHICLE", "Abandoned vehicle", "Vehicles and parking", "police-ordinance", 72, "realtime",
     "abandoned car,vehicle,junk car", "Vehicles are tagged, then towed after 72 hours.",
     [("plate", "License plate", "string", False, ()),
      ("color", "Color and make", "string", False, ()),
      ("days", "About how many days has it been there?", "number", False, ())]),
    ("ILLEGAL-PARKING", "Illegal parking", "Vehicles and parking", "police-ordinance", 4, "realtime",
     "parking,blocked driveway,hydrant,double parked", "",
     [("kind", "What is the problem?", "singlevaluelist", True,
       (("driveway", "Blocking a driveway"), ("hydrant", "At a hydrant"), ("sidewalk", "On the sidewalk"),
        ("other", "Other")))]),
    ("NOISE", "Noise complaint", "Vehicles and parking", "police-ordinance", 4, "realtime",
     "noise,loud,music,party,construction noise", "",
     [("source", "Where is the noise coming from?", "singlevaluelist", True,
       (("residence", "A residence"), ("business", "A business"), ("construction", "Construction"),
        ("vehicle", "A vehicle")))]),
    ("SIGNAL-REPAIR", "Traffic signal repair", "Traffic and signs", "transportation", 8, "realtime",
     "traffic light,signal,walk signal", "",
     [("problem", "What is wrong?", "singlevaluelist", True,
       (("dark", "Signal is dark"), ("stuck", "Stuck on one color"), ("ped", "Walk button broken")))]),
    ("SIGN-REPAIR", "Damaged or missing sign", "Traffic and signs", "transportation", 120, "realtime",
     "sign,stop sign,street sign", "",
     [("sign", "Which sign?", "singlevaluelist", True,
       (("stop", "Stop sign"), ("street", "Street name sign"), ("parking", "Parking sign"), ("other", "Other")))]),
    ("PARKING-METER", "Broken parking meter", "Traffic and signs", "transportation", 48, "realtime",
     "meter,parking meter,kiosk", "", [("meter_number", "Meter number", "string", False, ())]),
    ("PAVEMENT-MARKING", "Faded pavement markings", "Traffic and signs", "transportation", 2160, "batch",
     "crosswalk,lines,markings,paint", "", []),
    ("TAX-BILL-QUESTION", "Tax bill question", "Taxes and records", "treasury", 72, "blackbox",
     "excise,property tax,bill,abatement", "A Treasury clerk will contact you within 3 business days.",
     [("bill_type", "Which bill?", "singlevaluelist", True,
       (("property", "Property tax"), ("excise", "Motor vehicle excise"), ("water", "Water and sewer"))),
      ("bill_number", "Bill number", "string", False, ())]),
    ("CERTIFICATE-REQUEST", "Vital record copy", "Taxes and records", "city-clerk", 120, "blackbox",
     "birth certificate,death certificate,marriage certificate,copy", "Certified copies cost $10 each.",
     [("record", "Which record?", "singlevaluelist", True,
       (("birth", "Birth certificate"), ("death", "Death certificate"), ("marriage", "Marriage certificate"))),
      ("copies", "How many certified copies?", "number", True, ())]),
]  # fmt: skip

# Streets of the sample city, with a rough centre for each (lat, long), for sample addresses.
STREETS = [
    ("Main St", 42.3736, -71.1097), ("Massachusetts Ave", 42.3652, -71.1036), ("Cambridge St", 42.3729, -71.0950),
    ("Broadway", 42.3700, -71.0900), ("Hampshire St", 42.3703, -71.0990), ("Prospect St", 42.3690, -71.1030),
    ("Elm St", 42.3750, -71.0990), ("Washington St", 42.3800, -71.0990), ("Beacon St", 42.3800, -71.1100),
    ("Highland Ave", 42.3870, -71.1000), ("Summer St", 42.3880, -71.1150), ("Oak St", 42.3660, -71.0950),
    ("Harvard St", 42.3690, -71.1100), ("River St", 42.3620, -71.1120), ("Pleasant St", 42.3620, -71.1060),
    ("Central St", 42.3830, -71.1050), ("Union Sq", 42.3795, -71.0936), ("School St", 42.3840, -71.0960),
]  # fmt: skip
ZIPCODES = ["02138", "02139", "02141", "02143", "02144", "02145"]

CREWS = {
    "public-works": ["Hot patch 1", "Hot patch 2", "Lighting", "Sanitation North", "Sanitation South"],
    "parks": ["Forestry", "Grounds"],
    "isd": ["Housing inspectors", "Building inspectors"],
    "police-ordinance": ["Ordinance squad"],
    "transportation": ["Signals", "Signs and markings"],
}

RESOLUTION_CODES = [
    ("REPAIRED", "Repaired"),
    ("COMPLETED", "Work completed"),
    ("NO-PROBLEM", "Inspected: no problem found"),
    ("PRIVATE", "Private property: owner notified"),
    ("REFERRED", "Referred to another agency"),
    ("DUPLICATE", "Duplicate of an open request"),
]

# Office work is measured in City Hall's business hours; field work in calendar hours.
OFFICE_SERVICES = {"TAX-BILL-QUESTION", "CERTIFICATE-REQUEST", "HOUSING-CODE", "ILLEGAL-CONSTRUCTION"}

# A resident's own tax and vital-record business: private (never public), asked without a place, and
# answered by a clerk who calls or writes back. A bill number is a private answer.
PRIVATE_SERVICES = {"TAX-BILL-QUESTION", "CERTIFICATE-REQUEST"}
PRIVATE_QUESTIONS = {("TAX-BILL-QUESTION", "bill_number")}
