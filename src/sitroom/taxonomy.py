"""ACLED's event taxonomy, in one place: types, sub-event types and their display labels.

Everything that names an event kind reads it from here (the data model's `EVENT_TYPES`, the
export's ACLED labels, fusion's summaries), so a kind cannot be added in one place and missed
in another.
"""

from __future__ import annotations

# type -> (sub-event type, its ACLED display label), in ACLED's order.
_TAXONOMY: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "battles": ("Battles", (
        ("armed_clash", "Armed clash"),
        ("government_regains_territory", "Government regains territory"),
        ("non_state_actor_overtakes_territory", "Non-state actor overtakes territory"),
    )),
    "explosions_remote_violence": ("Explosions/Remote violence", (
        ("chemical_weapon", "Chemical weapon"),
        ("air_drone_strike", "Air/drone strike"),
        ("suicide_bomb", "Suicide bomb"),
        ("shelling_artillery_missile_attack", "Shelling/artillery/missile attack"),
        ("remote_explosive_landmine_ied", "Remote explosive/landmine/IED"),
        ("grenade", "Grenade"),
    )),
    "violence_against_civilians": ("Violence against civilians", (
        ("sexual_violence", "Sexual violence"),
        ("attack", "Attack"),
        ("abduction_forced_disappearance", "Abduction/forced disappearance"),
    )),
    "protests": ("Protests", (
        ("peaceful_protest", "Peaceful protest"),
        ("protest_with_intervention", "Protest with intervention"),
        ("excessive_force_against_protesters", "Excessive force against protesters"),
    )),
    "riots": ("Riots", (
        ("violent_demonstration", "Violent demonstration"),
        ("mob_violence", "Mob violence"),
    )),
    "strategic_developments": ("Strategic developments", (
        ("agreement", "Agreement"),
        ("arrests", "Arrests"),
        ("change_to_group_activity", "Change to group/activity"),
        ("disrupted_weapons_use", "Disrupted weapons use"),
        ("headquarters_or_base_established", "Headquarters or base established"),
        ("looting_property_destruction", "Looting/property destruction"),
        ("non_violent_transfer_of_territory", "Non-violent transfer of territory"),
        ("other", "Other"),
    )),
}

EVENT_TYPES: dict[str, tuple[str, ...]] = {t: tuple(s for s, _ in subs) for t, (_, subs) in _TAXONOMY.items()}
SUB_EVENT_PARENT: dict[str, str] = {sub: parent for parent, subs in EVENT_TYPES.items() for sub in subs}
EVENT_TYPE_LABELS: dict[str, str] = {t: label for t, (label, _) in _TAXONOMY.items()}
SUB_EVENT_LABELS: dict[str, str] = {s: label for _, (_, subs) in _TAXONOMY.items() for s, label in subs}
VIOLENT_TYPES: frozenset[str] = frozenset({"battles", "explosions_remote_violence", "violence_against_civilians"})


def family(event_type: str) -> str:
    """Event types that one incident can be reported as (a strike on a convoy is also an 'attack')."""
    return "violence" if event_type in VIOLENT_TYPES else event_type
