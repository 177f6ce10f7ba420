/* ACLED's event taxonomy for the UI: types and sub-event types, each with its ACLED label, in ACLED's order.
   A copy of src/sitroom/taxonomy.py (the one taxonomy); tests/test_web_taxonomy.py fails when they differ.
   The object is JSON, so that the test reads it as data. */
"use strict";
window.SitroomTaxonomy = {
  "types": {
    "battles": "Battles",
    "explosions_remote_violence": "Explosions/Remote violence",
    "violence_against_civilians": "Violence against civilians",
    "protests": "Protests",
    "riots": "Riots",
    "strategic_developments": "Strategic developments"
  },
  "sub_types": {
    "battles": {
      "armed_clash": "Armed clash",
      "government_regains_territory": "Government regains territory",
      "non_state_actor_overtakes_territory": "Non-state actor overtakes territory"
    },
    "explosions_remote_violence": {
      "chemical_weapon": "Chemical weapon",
      "air_drone_strike": "Air/drone strike",
      "suicide_bomb": "Suicide bomb",
      "shelling_artillery_missile_attack": "Shelling/artillery/missile attack",
      "remote_explosive_landmine_ied": "Remote explosive/landmine/IED",
      "grenade": "Grenade"
    },
    "violence_against_civilians": {
      "sexual_violence": "Sexual violence",
      "attack": "Attack",
      "abduction_forced_disappearance": "Abduction/forced disappearance"
    },
    "protests": {
      "peaceful_protest": "Peaceful protest",
      "protest_with_intervention": "Protest with intervention",
      "excessive_force_against_protesters": "Excessive force against protesters"
    },
    "riots": {
      "violent_demonstration": "Violent demonstration",
      "mob_violence": "Mob violence"
    },
    "strategic_developments": {
      "agreement": "Agreement",
      "arrests": "Arrests",
      "change_to_group_activity": "Change to group/activity",
      "disrupted_weapons_use": "Disrupted weapons use",
      "headquarters_or_base_established": "Headquarters or base established",
      "looting_property_destruction": "Looting/property destruction",
      "non_violent_transfer_of_territory": "Non-violent transfer of territory",
      "other": "Other"
    }
  }
};
