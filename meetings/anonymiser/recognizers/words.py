"""Word lists (function words, roles, countries, the words around names) and the French lexicon
that tells a surname from a capitalised word. The words that must stay (institutions, medicines,
diseases…) are data: kept.py and data/keep/."""

from collections.abc import Container

from meetings.anonymiser.replacements import CITY_OF_BRUSSELS, fold

# Words.


def _words(text: str) -> set[str]:
    return set(text.split())


# Short words that are not in the lemma tables of the model (they are their own lemma) and that
# start sentences: "Depuis", "Lors", "Chez". A capitalised word among them is never a name.
FUNCTION_WORDS = _words(
    """
    à au aux avec chez dans de des du en entre par pour sans sous sur vers après avant depuis dès
    durant pendant selon contre malgré parmi lors hors jusque jusqu envers via le la les l un une et
    ou mais donc or ni car puis ensuite enfin alors ainsi aussi pourtant cependant néanmoins
    toutefois comme si quand lorsque lorsqu puisque parce que qu qui quoi dont où ce cet cette ces
    son sa ses leur leurs mon ma mes ton ta tes notre nos votre vos il elle ils elles on nous vous
    je tu lui eux moi toi se me te y ne pas plus jamais rien personne chaque plusieurs certains
    certaines tout tous toute toutes aucun aucune autre autres même quelque quelques oui non bref
    ici là hier demain aujourd'hui maintenant déjà encore toujours souvent parfois très trop peu
    lundi mardi mercredi jeudi vendredi samedi dimanche janvier février mars avril mai juin juillet
    août septembre octobre novembre décembre objet motif remarque note notes présents présentes
    questions question situation contact contacts adresse téléphone gsm tél fiche dossier courriel
    de het een en van met voor ik hij zij wij
    """
)
# Nouns that follow "Madame" or "Monsieur" without being a name: "Madame la Juge".
ROLE_WORDS = _words(
    """
    juge directeur directrice président présidente ministre maire bourgmestre échevin échevine
    conseiller conseillère procureur procureure substitut commissaire inspecteur inspectrice
    professeur docteur docteure le la les
    rechter voorzitter burgemeester schepen minister procureur directeur directrice dokter de het
    """
)
COUNTRIES_AND_REGIONS = {
    fold(name)
    for name in _words(
        """
        Belgique België Wallonie Flandre Vlaanderen Europe France Maroc Algérie Tunisie Turquie
        Congo RDC Roumanie Pologne Bulgarie Espagne Portugal Italie Allemagne Pays-Bas Luxembourg
        Albanie Kosovo Syrie Irak Iran Afghanistan Pakistan Érythrée Somalie Guinée Sénégal Cameroun
        Mali Rwanda Burundi Libye Russie Ukraine Géorgie Brésil Grèce Angleterre Royaume-Uni Suisse
        Égypte Liban Palestine Hainaut Brabant Limbourg Luxembourg Anvers Méditerranée
        """
    )
} | CITY_OF_BRUSSELS
# "Noord-Brussel", "Bruxelles-Est", "Brussel-Oost": a part of the city, too wide to tell anyone.
COUNTRIES_AND_REGIONS |= {
    name
    for city in ("brussel", "bruxelles")
    for direction in ("noord", "zuid", "oost", "west", "nord", "sud", "est", "ouest", "centrum", "centre")
    for name in (f"{direction}-{city}", f"{city}-{direction}")
}


class FrenchLexicon:
    """The words of French, to tell a surname ("Verstraeten") from a capitalised word ("Depuis").

    Made of the lemmas and inflected forms of the model's lemmatiser tables, and of the short
    function words above."""

    def __init__(self, lemmas: Container[str], forms: Container[str]):
        self.lemmas = lemmas
        self.forms = forms

    def __contains__(self, word: str) -> bool:
        word = word.lower().replace("’", "'")
        if word in FUNCTION_WORDS or word in self.lemmas or word in self.forms:
            return True
        parts = [part for part in word.split("-") if part]
        return len(parts) > 1 and all(part in self for part in parts)


# Words around names.

# Nouns after which a name reads best as a letter alone: "son fils C.", "l'inspecteur D.".
RELATION_WORDS = _words(
    """
    fils fille frère sœur soeur demi-frère demi-sœur mère père maman papa fils fille enfant bébé
    compagnon compagne conjoint conjointe mari époux épouse femme ami amie copain copine cousin
    cousine oncle tante neveu nièce grand-mère grand-père petit-fils petite-fille beau-père
    belle-mère beau-fils belle-fille voisin voisine collègue patient patiente famille inspecteur
    inspectrice agent juge stagiaire tonton tata tatie tantine mamie mémé papi papy pépé parrain
    marraine nonkel
    zoon dochter broer broertje zus zusje zuster moeder vader mama papa moeke vake kind baby
    partner vriend vriendin lief echtgenoot echtgenote man vrouw oom tante nonkel neef nicht opa
    oma bomma bompa grootmoeder grootvader kleinzoon kleindochter schoonmoeder schoonvader
    stiefvader stiefmoeder halfbroer halfzus pleegmoeder pleegvader buurman buurvrouw collega
    cliënt cliënte patiënt patiënte agent rechter stagiair
    """
)
# Roles named next to a name: "notre infirmière, Bérénice", "Gwenaëlle, infirmière", "Nadia (coordinatrice)".
ROLE_WORDS_NEAR_NAMES = _words(
    """
    infirmière infirmier éducatrice éducateur psychologue psychiatre pédopsychiatre médecin docteur
    généraliste sociale social kiné kinésithérapeute ergothérapeute logopède coordinatrice
    coordinateur référente référent tutrice tuteur avocate avocat déléguée délégué animatrice
    animateur directrice directeur pharmacienne pharmacien secrétaire accueillante accueillant
    thérapeute interprète médiatrice médiateur juriste aide-soignante aide-soignant stagiaire
    bénévole collègue
    verpleegkundige verpleger verpleegster thuisverpleegkundige psycholoog psychologe psychiater
    kinderpsychiater huisarts arts dokter begeleider begeleidster opvoeder opvoedster
    maatschappelijk werker werkster assistent assistente coördinator coördinatrice consulent
    consulente advocaat advocate tolk vrijwilliger vrijwilligster stagiair kinesist kinesitherapeut
    logopedist logopediste ergotherapeut apotheker apothekeres onthaalmedewerker medewerker
    medewerkster verzorgende gezinshulp bewindvoerder wijkagent jeugdrechter trajectbegeleider
    hulpverlener hulpverleenster collega
    """
)
# Before a place rather than a person: "restée à Lubumbashi", "arrivée de Kinshasa".
LOCATIVE_WORDS = {
    "à",
    "au",
    "aux",
    "en",
    "de",
    "d",
    "du",
    "des",
    "vers",
    "depuis",
    "près",
    "dans",
    "via",
    "jusqu",
}
