"""Employers, schools and workplaces: found after a cue of work or school, or a school named by its
kind, in French and Dutch; replaced by their kind or sector with the article that fits."""

import pytest

from meetings import anonymiser
from meetings.anonymiser.generalisations import workplace_replacement


def workplaces(text: str) -> list[str]:
    return [f.text for f in anonymiser.find(text) if f.kind == "workplace"]


def found_names(text: str) -> list[str]:
    """The workplaces found, without the article the finder takes with them."""
    import regex

    article = regex.compile(
        r"(?i)^(?:au |aux |du |des |de l['’]|de la |de |d['’]|l['’]|le |la |les |het |de )"
    )
    return [article.sub("", t) for t in workplaces(text)]


# The recogniser, in French.


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence, name",
    [
        ("Elle travaille chez Colruyt depuis deux ans.", "Colruyt"),
        ("Il travaille à Brussels Airport, de nuit.", "Brussels Airport"),
        ("Elle travaille au Delhaize Anderlecht le samedi.", "Delhaize Anderlecht"),
        ("Elle travaille pour Randstad.", "Randstad"),
        ("Il travaille depuis 2019 chez Tempo-Team.", "Tempo-Team"),
        ("Elle est employée chez ISS Facility Services.", "ISS Facility Services"),
        ("Elle est employée d'Atalian.", "Atalian"),
        ("Il est magasinier chez Lidl.", "Lidl"),
        ("Elle est caissière chez Carrefour Market.", "Carrefour Market"),
        ("Il est chauffeur chez DHL.", "DHL"),
        ("Elle est aide-ménagère chez Intermarché.", "Intermarché"),
        ("Il est intérimaire chez Start People.", "Start People"),
        ("Elle a été engagée chez Spar.", "Spar"),
        ("Il fait un stage chez Garage Dubois.", "Garage Dubois"),
        ("Il a été licencié par Cora.", "Cora"),
        ("Son employeur, Okay, refuse le mi-temps.", "Okay"),
        ("Il travaille pour bpost.", "bpost"),
        ("Elle est élève à Saint-Joseph.", "Saint-Joseph"),
        ("Elle est en 3e à l'athénée Fernand Blum.", "athénée Fernand Blum"),
        ("Il est en première secondaire au Collège Saint-Pierre.", "Collège Saint-Pierre"),
        ("Il est inscrit à l'école Les Tilleuls.", "école Les Tilleuls"),
        ("Elle est scolarisée à l'Athénée Royal 2 de Koekelberg.", "Athénée Royal 2 de Koekelberg"),
        ("Il fréquente l'athénée Royal de Koekelberg.", "athénée Royal de Koekelberg"),
        ("Elle va à l'école Saint-Joseph à pied.", "école Saint-Joseph"),
        ("Elle étudie à la Haute École Galilée.", "Haute École Galilée"),
    ],
)
def test_an_employer_or_a_school_after_a_french_cue_is_found(sentence, name):
    assert found_names(sentence) == [name]


@pytest.mark.slow
def test_the_elided_article_goes_with_the_finding_and_the_preposition_stays():
    assert workplaces("Elle est en 3e à l'athénée Fernand Blum.") == ["l'athénée Fernand Blum"]
    assert workplaces("Il est inscrit au Collège Saint-Pierre.") == ["au Collège Saint-Pierre"]


# The recogniser, in Dutch.


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence, name",
    [
        ("Hij werkt bij Colruyt in Halle.", "Colruyt"),
        ("Ze werkt voor Adecco.", "Adecco"),
        ("Ze werkte bij Delhaize Anderlecht.", "Delhaize Anderlecht"),
        ("Hij werkt al jaren bij Aldi.", "Aldi"),
        ("Hij werkt op Brussels Airport.", "Brussels Airport"),
        ("Ze is tewerkgesteld bij ISS.", "ISS"),
        ("Hij is in dienst bij Atalian.", "Atalian"),
        ("Ze is kassierster bij Lidl.", "Lidl"),
        ("Ze werkt als poetsvrouw bij Schoonmaakbedrijf Janssens.", "Schoonmaakbedrijf Janssens"),
        ("Hij doet stage bij Garage Peeters.", "Garage Peeters"),
        ("Hij zit op het Sint-Jozefscollege.", "Sint-Jozefscollege"),
        ("Ze zit op de Sint-Lukasschool.", "Sint-Lukasschool"),
        ("Hij zit op het Koninklijk Atheneum Etterbeek.", "Koninklijk Atheneum Etterbeek"),
        ("Ze gaat naar de Basisschool De Regenboog.", "Basisschool De Regenboog"),
        ("Hij is leerling van de Basisschool Klavertje Vier.", "Basisschool Klavertje Vier"),
        ("Ze is ingeschreven in het Sint-Guidoinstituut.", "Sint-Guidoinstituut"),
        ("Op de school De Linde is ze gelukkig.", "school De Linde"),
    ],
)
def test_an_employer_or_a_school_after_a_dutch_cue_is_found(sentence, name):
    assert found_names(sentence) == [name]


# What stays.


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence",
    [
        "Il travaille chez un garagiste du quartier.",
        "Elle travaille au noir sur des chantiers.",
        "Ses filles vont à l'école.",
        "Elle est en 3e à l'école primaire.",
        "Il a quitté l'école en quatrième secondaire.",
        "Hij zit op de lagere school.",
        "Ze gaat naar school met de fiets.",
        "Elle travaille au CPAS.",
        "Hij werkt bij het OCMW.",
        "Elle travaille à la STIB depuis vingt ans.",
        "Elle est inscrite à la Mutualité chrétienne.",
        "Elle est suivie à l'hôpital Érasme.",
        "Hospitalisation au CHU Saint-Pierre, puis à l'hôpital Brugmann.",
        "Le Collège des bourgmestre et échevins a décidé.",
        "L'école de Noah a appelé.",
        "Elle travaille chez Madame Dupont comme aide-ménagère.",
    ],
)
def test_generic_phrases_protected_services_and_persons_are_no_workplace(sentence):
    assert workplaces(sentence) == []


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence", ["Il travaille à Anderlecht.", "Hij werkt in Brussel.", "Ze werkt in Vilvoorde."]
)
def test_a_commune_alone_stays_a_place(sentence):
    assert workplaces(sentence) == []
    assert {f.kind for f in anonymiser.find(sentence)} <= {"place"}


@pytest.mark.slow
def test_a_hospital_is_a_workplace_where_someone_works_there():
    assert workplaces("Elle travaille à l'hôpital Érasme comme aide-soignante.") == ["l'hôpital Érasme"]
    assert found_names("Hij werkt in het UZ Brussel.") == ["UZ Brussel"]


@pytest.mark.slow
def test_a_cue_at_the_start_of_a_sentence_is_read_as_well():
    assert found_names("Travaille chez Lidl. Deux enfants.") == ["Lidl"]
    assert found_names("Werkt bij Colruyt sinds maart.") == ["Colruyt"]
    assert workplaces("L'athénée Fernand Blum a appelé.") == ["L'athénée Fernand Blum"]


@pytest.mark.slow
def test_a_commune_inside_a_workplace_goes_with_it_and_one_after_it_is_a_place():
    findings = [
        (f.kind, f.text) for f in anonymiser.find("Il est magasinier chez Delhaize Anderlecht à Vilvorde.")
    ]

    assert findings == [("workplace", "Delhaize Anderlecht"), ("place", "Vilvorde")]


@pytest.mark.slow
def test_a_name_inside_a_workplace_is_not_a_person_elsewhere():
    text = "Il est élève à l'athénée Fernand Blum. Blum, c'est loin de chez lui."
    findings = anonymiser.find(text)

    assert (findings[0].kind, findings[0].text) == ("workplace", "l'athénée Fernand Blum")
    assert not any(f.kind == "person" and f.start < 38 for f in findings)


# Replacements.


@pytest.mark.parametrize(
    "name, french, dutch",
    [
        ("athénée Fernand Blum", "une école secondaire", "een secundaire school"),
        ("Collège Saint-Pierre", "une école secondaire", "een secundaire school"),
        ("Koninklijk Atheneum Etterbeek", "une école secondaire", "een secundaire school"),
        ("Sint-Jozefscollege", "une école secondaire", "een secundaire school"),
        ("lycée Jacqmain", "une école secondaire", "een secundaire school"),
        ("école fondamentale Les Tilleuls", "une école primaire", "een basisschool"),
        ("Basisschool De Regenboog", "une école primaire", "een basisschool"),
        ("lagere school De Linde", "une école primaire", "een basisschool"),
        ("école Saint-Joseph", "une école", "een school"),
        ("Sint-Lukasschool", "une école", "een school"),
        (
            "Haute École Galilée",
            "un établissement d'enseignement supérieur",
            "een instelling voor hoger onderwijs",
        ),
        (
            "Hogeschool Gent",
            "un établissement d'enseignement supérieur",
            "een instelling voor hoger onderwijs",
        ),
        (
            "Université Libre de Bruxelles",
            "un établissement d'enseignement supérieur",
            "een instelling voor hoger onderwijs",
        ),
        ("Colruyt", "une chaîne de supermarchés", "een supermarktketen"),
        ("Delhaize Anderlecht", "une chaîne de supermarchés", "een supermarktketen"),
        ("ISS Facility Services", "une entreprise de nettoyage", "een schoonmaakbedrijf"),
        ("Schoonmaakbedrijf Janssens", "une entreprise de nettoyage", "een schoonmaakbedrijf"),
        ("Brussels Airport", "une entreprise de logistique", "een logistiek bedrijf"),
        ("bpost", "une entreprise de logistique", "een logistiek bedrijf"),
        ("Bouwbedrijf De Smet", "une entreprise de construction", "een bouwbedrijf"),
        ("Restaurant Le Chalet", "un établissement horeca", "een horecazaak"),
        ("Tempo-Team", "une agence d'intérim", "een uitzendkantoor"),
        ("hôpital Érasme", "un hôpital", "een ziekenhuis"),
        ("Institut Bordet", "un hôpital", "een ziekenhuis"),
        ("Garage Dubois", "une entreprise", "een bedrijf"),
    ],
)
def test_a_workplace_becomes_its_kind_or_its_sector_in_french_and_dutch(name, french, dutch):
    assert workplace_replacement(name) == french
    assert workplace_replacement(name, "nl") == dutch


def test_a_name_the_words_around_make_a_school_becomes_a_school():
    assert workplace_replacement("Saint-Joseph", school=True) == "une école"
    assert workplace_replacement("Sint-Jozef", "nl", school=True) == "een school"
    assert workplace_replacement("Saint-Joseph") == "une entreprise"


# End to end.


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Il est magasinier chez Colruyt.", "Il est magasinier chez une chaîne de supermarchés."),
        ("Elle est en 3e à l'athénée Fernand Blum.", "Elle est en 3e à une école secondaire."),
        ("Il est inscrit au Collège Saint-Pierre.", "Il est inscrit dans une école secondaire."),
        ("Le directeur du Collège Saint-Pierre a appelé.", "Le directeur d'une école secondaire a appelé."),
        (
            "Elle a été licenciée de Carrefour en mars.",
            "Elle a été licenciée d'une chaîne de supermarchés en mars.",
        ),
        ("L'athénée Fernand Blum a appelé.", "Une école secondaire a appelé."),
        ("Elle travaille chez Delhaize Anderlecht.", "Elle travaille chez une chaîne de supermarchés."),
        (
            "Il est magasinier chez Colruyt à Vilvorde.",
            "Il est magasinier chez une chaîne de supermarchés à [une commune du nord de Bruxelles].",
        ),
        ("Hij werkt bij Colruyt.", "Hij werkt bij een supermarktketen."),
        ("Hij zit op het Sint-Jozefscollege.", "Hij zit op een secundaire school."),
        ("Ze gaat naar de Basisschool De Regenboog.", "Ze gaat naar een basisschool."),
        ("Ze werkt als poetsvrouw bij ISS.", "Ze werkt als poetsvrouw bij een schoonmaakbedrijf."),
        ("Het Koninklijk Atheneum Etterbeek belde.", "Een secundaire school belde."),
    ],
)
def test_anonymise_replaces_a_workplace_with_the_words_before_it(sentence, expected):
    assert anonymiser.anonymise(sentence)[0] == expected


@pytest.mark.slow
def test_a_vignette_with_a_person_an_employer_and_a_school():
    text = "Madame Sylvie Verstraeten travaille chez Lidl ; son fils Lucas est élève à l'école Saint-Joseph."

    assert anonymiser.anonymise(text)[0] == (
        "Madame A. travaille chez une chaîne de supermarchés ; son fils B. est élève à une école."
    )


# Companies named with their legal form: a workplace wherever they stand.


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence, name",
    [
        ("Le contrat avec Menuiserie Dubois sprl a pris fin.", "Menuiserie Dubois sprl"),
        ("Elle fait le ménage pour Propreté Plus SRL depuis mars.", "Propreté Plus SRL"),
        ("Une lettre de Transports Lambert SA est arrivée.", "Transports Lambert SA"),
        ("Il a signé un contrat avec Imprimerie Lenoir scrl.", "Imprimerie Lenoir scrl"),
        ("Il a travaillé en Allemagne pour Müller Logistik GmbH.", "Müller Logistik GmbH"),
        ("NV Van Hool heeft hem ontslagen.", "NV Van Hool"),
        ("De brief komt van Bakkerij Peeters BV.", "Bakkerij Peeters BV"),
        ("Zijn broer leidt Transport Claes BVBA in Halle.", "Transport Claes BVBA"),
        ("Een offerte van Schilderwerken Maes CVBA ligt klaar.", "Schilderwerken Maes CVBA"),
    ],
)
def test_a_company_named_with_its_legal_form_is_found_without_a_cue(sentence, name):
    assert found_names(sentence) == [name]


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence, name",
    [
        ("Elle travaille comme animatrice à l'ASBL Quartier Solidaire.", "ASBL Quartier Solidaire"),
        ("Hij werkt bij vzw Buurtwerk Noordwijk.", "vzw Buurtwerk Noordwijk"),
    ],
)
def test_an_association_is_a_workplace_after_a_cue_of_work(sentence, name):
    assert found_names(sentence) == [name]


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence",
    [
        "Elle est suivie par l'ASBL Quartier Solidaire depuis un an.",
        "Het gesprek vond plaats bij vzw Buurtwerk Noordwijk.",
        "Il travaille à l'ASBL Modus Vivendi.",
        "Elle travaille pour une ASBL.",
        "Elle travaille à l'ASBL depuis mars.",
        "Il en parle à sa mère, Sa sœur aussi.",
        "Zie bv. het verslag van vorige week.",
        "Ahmed a envoyé son CV à trois employeurs.",
    ],
)
def test_an_association_without_a_cue_a_protected_one_and_words_like_forms_stay(sentence):
    assert workplaces(sentence) == []


# A sector noun glued to or followed by a name.


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence, name",
    [
        ("Bouwbedrijf Claessens zoekt een metser.", "Bouwbedrijf Claessens"),
        ("Ze poetst sinds maart voor Schoonmaakbedrijf Blink & Co.", "Schoonmaakbedrijf Blink & Co"),
        ("Garage Dewitte heeft gebeld over de wagen.", "Garage Dewitte"),
        ("Het meubelbedrijf Van Acker sluit de deuren.", "meubelbedrijf Van Acker"),
        ("L'entreprise Debaets a fermé ses portes.", "entreprise Debaets"),
        ("Il a un entretien à la société Mertens & Fils.", "société Mertens & Fils"),
        ("Le restaurant Le Petit Sablon l'a engagé.", "restaurant Le Petit Sablon"),
        ("Il livre pour la boulangerie Vandevelde le matin.", "boulangerie Vandevelde"),
        ("Le garage Renault de la chaussée a fermé.", "garage Renault"),
    ],
)
def test_a_sector_noun_with_a_name_is_a_workplace(sentence, name):
    assert found_names(sentence) == [name]


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence",
    [
        "L'entreprise a fermé l'an dernier.",
        "Le garage est fermé le lundi.",
        "Het bouwbedrijf zoekt nog mensen.",
        "Ze gaat naar de praatgroep Vrouwen Samen op dinsdag.",
        "Il mange au restaurant social du quartier.",
    ],
)
def test_a_sector_noun_without_a_name_or_a_care_group_stays(sentence):
    assert workplaces(sentence) == []


# An apposition after a company or school noun, and the company a subcontractor works for.


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence, name",
    [
        (
            "Elle a trouvé une entreprise de titres-services, Clean Service Plus, qui l'engage.",
            "Clean Service Plus",
        ),
        ("Hij werkt voor een maatwerkbedrijf, Workmate in Vorst.", "Workmate"),
        ("Il est livreur pour un sous-traitant d'Amazon.", "Amazon"),
        ("Hij rijdt voor een onderaannemer van GLS.", "GLS"),
        ("Elle vend des vêtements dans une filiale de Zalando.", "Zalando"),
    ],
)
def test_a_name_in_apposition_or_after_a_subcontractor_is_a_workplace(sentence, name):
    assert found_names(sentence) == [name]


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence",
    [
        "Il cherche une entreprise, à Anderlecht ou ailleurs.",
        "Elle a visité une école, Ahmed n'en voulait pas.",
        "Hij werkt voor een onderaannemer van de gemeente.",
    ],
)
def test_an_apposition_that_names_no_workplace_stays(sentence):
    assert workplaces(sentence) == []


# Cues with words between them and the name.


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence, name",
    [
        ("Elle travaille à mi-temps au Carrefour Evere.", "Carrefour Evere"),
        ("Vorig jaar werkte ze halftijds in Brasserie De Kroon.", "Brasserie De Kroon"),
        ("Hij werkt deeltijds op Luchthaven Zaventem.", "Luchthaven Zaventem"),
        ("Elle est engagée comme aide-cuisinière au Relais du Parc.", "Relais du Parc"),
        ("Hij werkt nu als magazijnier bij Mediq.", "Mediq"),
        ("Ze zit in het vijfde jaar op Sint-Ursula.", "Sint-Ursula"),
        ("Hij zit in het 3de jaar BSO aan het Technicum Noord.", "Technicum Noord"),
        ("Ze volgt het 4de jaar TSO aan het Sint-Lucas Instituut.", "Sint-Lucas Instituut"),
        ("Elle est en 6e primaire à l'école Les Érables.", "école Les Érables"),
        ("Il est en 3e secondaire à Sainte-Ursule.", "Sainte-Ursule"),
        ("Elle est élève de 5e à l'athénée Jean Absil.", "athénée Jean Absil"),
    ],
)
def test_a_cue_with_time_grade_or_role_words_before_the_name(sentence, name):
    assert found_names(sentence) == [name]


# School names.


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence, name",
    [
        ("Ses enfants vont à l'école communale n°7.", "école communale n°7"),
        ("Il fréquente l'école fondamentale n° 4 de Schaerbeek.", "école fondamentale n° 4"),
        ("Ze gaat naar Basisschool 3 in de wijk.", "Basisschool 3"),
        ("Hij zit op het Sint-Pieter Damiaancollege.", "Sint-Pieter Damiaancollege"),
        ("Ze zit op het Sint-Victor Technisch Instituut.", "Sint-Victor Technisch Instituut"),
        ("Het Maria Boodschaplyceum belde de moeder.", "Maria Boodschaplyceum"),
        ("Il est inscrit à l'Institut Saint-Nicolas.", "Institut Saint-Nicolas"),
        ("Elle suit les cours du Lycée Marie Popelin.", "Lycée Marie Popelin"),
        ("Il va au Collège Jean XXIII depuis septembre.", "Collège Jean XXIII"),
    ],
)
def test_a_school_named_by_a_number_or_by_several_words(sentence, name):
    assert found_names(sentence) == [name]


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence",
    [
        "Elle va à l'école 3 jours par semaine.",
        "Hij gaat naar school 4 dagen per week.",
        "Ze zit op een technische school in Anderlecht.",
    ],
)
def test_a_school_without_a_name_or_a_number_stays(sentence):
    assert workplaces(sentence) == []


# Care homes and crèches: where someone works or lives, as identifying as an employer.


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence, name",
    [
        ("Elle travaille dans la maison de repos Les Glycines.", "maison de repos Les Glycines"),
        ("Sa mère vit à la MRS Le Grand Chêne depuis 2021.", "MRS Le Grand Chêne"),
        ("Il est aide-soignant au home Reine Astrid.", "home Reine Astrid"),
        ("Elle travaille dans une maison de repos, Résidence du Parc.", "Résidence du Parc"),
        ("Hij werkt in woonzorgcentrum Ter Linde.", "woonzorgcentrum Ter Linde"),
        ("Zijn vader woont in rusthuis Het Anker.", "rusthuis Het Anker"),
        ("Haar zoon gaat naar kinderdagverblijf De Pinguïn.", "kinderdagverblijf De Pinguïn"),
        ("Sa fille va à la crèche Les Petits Pas.", "crèche Les Petits Pas"),
    ],
)
def test_a_care_home_or_a_creche_with_a_name_is_found(sentence, name):
    assert found_names(sentence) == [name]


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence",
    [
        "Elle vit en maison de repos depuis deux ans.",
        "Hij verblijft in een woonzorgcentrum.",
        "La crèche du quartier a une place.",
        "Le home est fermé le dimanche.",
    ],
)
def test_a_care_home_without_a_name_stays(sentence):
    assert workplaces(sentence) == []


@pytest.mark.parametrize(
    "name, french, dutch",
    [
        ("Construct Dubois sprl", "une entreprise de construction", "een bouwbedrijf"),
        ("Bakkerij Peeters BV", "un commerce", "een winkel"),
        ("NV Van Hool", "une entreprise", "een bedrijf"),
        ("Transport Claes BVBA", "une entreprise de logistique", "een logistiek bedrijf"),
        ("Schoonmaakbedrijf Blink & Co", "une entreprise de nettoyage", "een schoonmaakbedrijf"),
        ("maison de repos Les Glycines", "une maison de repos", "een woonzorgcentrum"),
        ("MRS Le Grand Chêne", "une maison de repos", "een woonzorgcentrum"),
        ("woonzorgcentrum Ter Linde", "une maison de repos", "een woonzorgcentrum"),
        ("rusthuis Het Anker", "une maison de repos", "een woonzorgcentrum"),
        ("crèche Les Petits Pas", "une crèche", "een kinderdagverblijf"),
        ("kinderdagverblijf De Pinguïn", "une crèche", "een kinderdagverblijf"),
        ("école communale n°7", "une école primaire", "een basisschool"),
    ],
)
def test_the_new_forms_become_their_sector_or_kind(name, french, dutch):
    assert workplace_replacement(name) == french
    assert workplace_replacement(name, "nl") == dutch


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Elle travaille à la maison de repos Les Glycines.", "Elle travaille à une maison de repos."),
        ("Hij werkt bij Bouwbedrijf Claessens.", "Hij werkt bij een bouwbedrijf."),
        ("Sa fille va à la crèche Les Petits Pas.", "Sa fille va à une crèche."),
    ],
)
def test_anonymise_replaces_the_new_forms(sentence, expected):
    assert anonymiser.anonymise(sentence)[0] == expected


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence",
    [
        "Hij zit in het 2de jaar ASO aan het Atheneum.",
        "Hij zit op het Koninklijk Atheneum.",
        "Il est élève au Lycée.",
    ],
)
def test_a_kind_of_school_alone_after_a_cue_names_no_school(sentence):
    assert workplaces(sentence) == []
