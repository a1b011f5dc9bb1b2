"""The sample catalog in Spanish: what residents and callers who choose Spanish read.

Keyed by the English text it translates, so the catalog in ``sample_data`` stays the one list of
services; ``load_catalog`` fills the ``*_es`` fields from here.
"""

from __future__ import annotations

GROUPS = {
    "Housing and buildings": "Vivienda y edificios", "Snow and ice": "Nieve y hielo",
    "Streets and sidewalks": "Calles y aceras", "Taxes and records": "Impuestos y registros",
    "Traffic and signs": "Tránsito y señales", "Trash and recycling": "Basura y reciclaje",
    "Trees and parks": "Árboles y parques", "Vehicles and parking": "Vehículos y estacionamiento",
}  # fmt: skip

SERVICES = {
    "POTHOLE": "Bache", "SIDEWALK-REPAIR": "Reparación de acera", "STREETLIGHT": "Farol apagado",
    "STREET-CLEANING": "Limpieza de calle", "GRAFFITI": "Quitar grafiti",
    "MISSED-TRASH": "Basura no recogida", "MISSED-RECYCLING": "Reciclaje no recogido",
    "BULK-ITEM": "Recolección de objetos grandes", "ILLEGAL-DUMPING": "Vertido ilegal de basura",
    "OVERFLOWING-BIN": "Papelera pública llena", "DEAD-ANIMAL": "Recoger animal muerto",
    "SNOW-SIDEWALK": "Acera sin limpiar de nieve", "SNOW-PLOW": "Calle sin quitanieves",
    "ICY-ROAD": "Calle o acera con hielo", "TREE-DOWN": "Árbol o rama caída", "TREE-PRUNING": "Poda de árbol",
    "TREE-PLANTING": "Árbol nuevo en la calle", "PARK-MAINTENANCE": "Mantenimiento de parque",
    "ABANDONED-BUILDING": "Edificio abandonado", "HOUSING-CODE": "Queja de vivienda",
    "RODENT": "Roedores", "ILLEGAL-CONSTRUCTION": "Obra sin permiso", "ABANDONED-VEHICLE": "Vehículo abandonado",
    "ILLEGAL-PARKING": "Estacionamiento ilegal", "NOISE": "Queja por ruido", "SIGNAL-REPAIR": "Semáforo dañado",
    "SIGN-REPAIR": "Señal dañada o faltante", "PARKING-METER": "Parquímetro roto",
    "PAVEMENT-MARKING": "Marcas viales borrosas", "TAX-BILL-QUESTION": "Pregunta sobre una factura de impuestos",
    "CERTIFICATE-REQUEST": "Copia de un acta del registro civil",
}  # fmt: skip

NOTICES = {
    "Potholes are repaired within 48 hours.": "Los baches se reparan en 48 horas.",
    "Street lights are repaired within 3 days.": "Los faroles se reparan en 3 días.",
    "Missed pickups are collected the next business day.": "La basura no recogida se recoge el siguiente día hábil.",
    "A crew will pick up on your next collection day.": "Una cuadrilla la recogerá en su próximo día de recolección.",
    "Property owners must clear sidewalks within 3 hours of snowfall ending.":
        "Los propietarios deben limpiar las aceras dentro de 3 horas después de que deja de nevar.",
    "Emergencies blocking a street: call 911.": "Emergencias que bloquean una calle: llame al 911.",
    "Trees are planted in spring and fall.": "Los árboles se plantan en primavera y otoño.",
    "An inspector will contact you to arrange a visit.": "Un inspector se comunicará con usted para acordar una visita.",
    "Vehicles are tagged, then towed after 72 hours.": "Los vehículos se marcan y se remolcan después de 72 horas.",
    "A Treasury clerk will contact you within 3 business days.":
        "Un empleado de Tesorería se comunicará con usted en 3 días hábiles.",
    "Certified copies cost $10 each.": "Cada copia certificada cuesta $10.",
}  # fmt: skip

QUESTIONS = {
    "About how many days has it been there?": "¿Cuántos días lleva ahí, más o menos?",
    "Apartment or unit number": "Número de apartamento o unidad", "Bill number": "Número de factura",
    "Color and make": "Color y marca", "Do people appear to be living there?": "¿Parece que vive gente ahí?",
    "How large is it?": "¿Qué tamaño tiene?", "How many certified copies?": "¿Cuántas copias certificadas?",
    "How many items?": "¿Cuántos objetos?",
    "Is it a danger to people or traffic right now?": "¿Es un peligro para personas o vehículos ahora mismo?",
    "Is it offensive or hateful?": "¿Es ofensivo o de odio?", "Is it touching power lines?": "¿Toca cables eléctricos?",
    "Is the building open to entry?": "¿Se puede entrar al edificio?", "License plate": "Placa",
    "Meter number": "Número del parquímetro",
    "Pole number (on a tag on the pole), if you can see it": "Número del poste (en una plaquita del poste), si lo ve",
    "Was the cart out by 7 am on collection day?": "¿Estaba el contenedor afuera antes de las 7 am del día de recolección?",
    "Were the barrels out by 7 am on collection day?": "¿Estaban los barriles afuera antes de las 7 am del día de recolección?",
    "What is it on?": "¿Dónde está pintado?", "What is the problem?": "¿Cuál es el problema?",
    "What is wrong?": "¿Qué pasa?", "What kind of animal?": "¿Qué tipo de animal?",
    "What needs attention?": "¿Qué necesita atención?", "What was dumped?": "¿Qué tiraron?",
    "When did you see the work?": "¿Cuándo vio la obra?", "Where did you see them?": "¿Dónde los vio?",
    "Where in the street is it?": "¿En qué parte de la calle está?", "Where is the noise coming from?": "¿De dónde viene el ruido?",
    "Which bill?": "¿Qué factura?", "Which items?": "¿Qué objetos?", "Which park?": "¿Qué parque?",
    "Which record?": "¿Qué acta?", "Which sign?": "¿Qué señal?",
}  # fmt: skip

VALUES = {
    "A business": "Un negocio", "A residence": "Una vivienda", "A vehicle": "Un vehículo", "Appliance": "Electrodoméstico",
    "At a hydrant": "Frente a un hidrante", "Bench or table": "Banco o mesa", "Birth certificate": "Acta de nacimiento",
    "Blocking a driveway": "Bloqueando una entrada", "Construction": "Obra", "Crosswalk": "Cruce peatonal",
    "Death certificate": "Acta de defunción", "Furniture": "Muebles", "Grass or field": "Césped o cancha",
    "Gutter or curb": "Cuneta o bordillo", "Inside a building": "Dentro de un edificio",
    "Large (dog, deer)": "Grande (perro, venado)", "Larger than a car tire": "Más grande que una llanta de carro",
    "Leak": "Gotera o fuga", "Light flickers": "La luz parpadea", "Light is out": "La luz está apagada",
    "Litter": "Basura", "Marriage certificate": "Acta de matrimonio", "Mattress or box spring": "Colchón o somier",
    "Mold": "Moho", "Motor vehicle excise": "Impuesto de vehículos", "No": "No", "No heat": "Sin calefacción",
    "No hot water": "Sin agua caliente", "On during the day": "Encendida de día", "On the sidewalk": "En la acera",
    "Other": "Otro", "Parking sign": "Señal de estacionamiento", "Pests": "Plagas",
    "Playground equipment": "Juegos infantiles", "Pole damaged": "Poste dañado", "Private building": "Edificio privado",
    "Property tax": "Impuesto a la propiedad", "Public property": "Propiedad pública", "Sign or pole": "Señal o poste",
    "Signal is dark": "El semáforo está apagado", "Small (squirrel, bird, cat)": "Pequeño (ardilla, pájaro, gato)",
    "Smaller than a dinner plate": "Más pequeño que un plato", "Stop sign": "Señal de alto",
    "Street name sign": "Letrero con el nombre de la calle", "Street or sidewalk": "Calle o acera",
    "Stuck on one color": "Trabado en un color", "TV or monitor": "Televisor o monitor", "Travel lane": "Carril",
    "Up to a car tire": "Hasta el tamaño de una llanta", "Walk button broken": "Botón peatonal roto",
    "Water and sewer": "Agua y alcantarillado", "Yard or alley": "Patio o callejón", "Yes": "Sí",
}  # fmt: skip
