// The knob table: one row per KnobId, and every value a row allows goes through text and
// number and back unchanged, so the CLI, lessons, sessions and the window agree.
#include "core/base/knobs.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace eps {
namespace {

TEST(KnobTable, EveryKnobIdHasExactlyOneRow) {
  ASSERT_EQ(knobTable().size(), static_cast<std::size_t>(kKnobCount));
  std::set<int> ids;
  std::set<std::string_view> names;
  for (const KnobInfo& info : knobTable()) {
    EXPECT_TRUE(ids.insert(static_cast<int>(info.id)).second) << info.name;
    EXPECT_TRUE(names.insert(info.name).second) << info.name;
    EXPECT_EQ(knobFromName(info.name), info.id);
    EXPECT_EQ(&knobInfo(info.id), &info);
    EXPECT_NE(info.get, nullptr) << info.name;
    EXPECT_NE(info.set, nullptr) << info.name;
  }
  EXPECT_EQ(*ids.begin(), 0);
  EXPECT_EQ(*ids.rbegin(), kKnobCount - 1);
}

// `allowed` is what errors and --help print; it must say the row's own values.
std::string allowedOf(const KnobInfo& info) {
  if (info.values == KnobValues::Switch) return "on|off";
  std::string out;
  for (const std::string_view choice : info.choices) {
    out += (out.empty() ? "" : "|") + std::string(choice);
  }
  if (info.values != KnobValues::Number) return out;
  out = std::to_string(info.min) + "..";
  if (info.refused == info.min + 1)
    out = std::to_string(info.min) + "|" + std::to_string(info.refused + 1) + "..";
  out += std::to_string(info.max);
  if (!info.word.empty()) out += "|" + std::string(info.word);
  return out;
}

TEST(KnobTable, AllowedSaysTheRowsValues) {
  for (const KnobInfo& info : knobTable()) EXPECT_EQ(info.allowed, allowedOf(info)) << info.name;
}

// The values a row allows, as the row says them: its choices, or its range's ends and word.
std::vector<std::string> valuesOf(const KnobInfo& info) {
  std::vector<std::string> values(info.choices.begin(), info.choices.end());
  if (info.values == KnobValues::Number) {
    values = {std::to_string(info.min), std::to_string(info.max)};
    if (!info.word.empty()) values.emplace_back(info.word);
  }
  return values;
}

TEST(KnobTable, EveryAllowedValueGoesThroughTextAndNumberUnchanged) {
  for (const KnobInfo& info : knobTable()) {
    for (const std::string& value : valuesOf(info)) {
      Knobs knobs;
      ASSERT_EQ(setKnob(knobs, info.id, value), std::nullopt) << info.name << "=" << value;
      EXPECT_EQ(knobValueText(knobs, info.id), value) << info.name;
      Knobs again;
      EXPECT_EQ(setKnobNumber(again, info.id, knobValueNumber(knobs, info.id)), std::nullopt);
      EXPECT_EQ(again, knobs) << info.name << "=" << value;
    }
    Knobs defaults;
    EXPECT_EQ(setKnob(defaults, info.id, knobDefaultText(info.id)), std::nullopt) << info.name;
    EXPECT_EQ(defaults, Knobs{}) << info.name;
  }
}

TEST(KnobTable, ValuesOutsideARowAreRefusedNamingTheFlag) {
  Knobs knobs;
  EXPECT_EQ(setKnob(knobs, KnobId::Workers, "1"), "--workers: '1' is out of range 0|2..4");
  EXPECT_EQ(setKnob(knobs, KnobId::MaxEvents, "0"),
            "--max-events: '0' is out of range 1..1024|grow");
  EXPECT_EQ(setKnob(knobs, KnobId::MaxEvents, "lots"),
            "--max-events: 'lots' is not one of 1..1024|grow");
  EXPECT_EQ(setKnob(knobs, KnobId::Read, "all"), "--read: 'all' is not one of drain|once|short");
  EXPECT_EQ(setKnob(knobs, KnobId::Oneshot, "maybe"), "--oneshot: 'maybe' is not one of on|off");
  EXPECT_EQ(setKnob(knobs, KnobId::Oneshot, "yes"), std::nullopt);
  EXPECT_TRUE(knobs.oneshot);
  EXPECT_EQ(knobs, [] {
    Knobs k;
    k.oneshot = true;
    return k;
  }());
  EXPECT_EQ(knobNumberText(KnobId::MaxEvents, kGrowMaxEvents), "grow");
  EXPECT_EQ(knobNumberText(KnobId::ConnTrigger, 1), "et");
  EXPECT_EQ(knobNumberText(KnobId::ConnTrigger, 7), "7");  // a damaged config event's value
  EXPECT_EQ(knobDefaultText(KnobId::ReadChunk), "4096");
}

// The effects column the engine reads: which knobs re-register every socket, and so on.
TEST(KnobTable, EffectsSayWhatAChangeTakes) {
  for (const KnobInfo& info : knobTable()) {
    EXPECT_EQ((info.effects & kKnobChangesInterestMask) != 0, knobChangesInterestMask(info.id))
        << info.name;
  }
  EXPECT_TRUE(knobHasEffect(KnobId::Handler, kKnobDropsHeldOutput));
  EXPECT_TRUE(knobHasEffect(KnobId::Workers, kKnobRestartsWorkers));
  EXPECT_TRUE(knobHasEffect(KnobId::FdLimit, kKnobSetsFdLimit));
  EXPECT_TRUE(knobChangesInterestMask(KnobId::ConnTrigger));
  EXPECT_TRUE(knobChangesInterestMask(KnobId::OutCap));
  EXPECT_FALSE(knobChangesInterestMask(KnobId::ReadChunk));
  EXPECT_TRUE(knobHasEffect(KnobId::Workers, kKnobRestartsWorkers));
  EXPECT_TRUE(knobHasEffect(KnobId::Exclusive, kKnobRestartsWorkers));
  EXPECT_TRUE(knobHasEffect(KnobId::IdleFd, kKnobReopensIdleFd));
  EXPECT_TRUE(knobHasEffect(KnobId::Handler, kKnobDropsHeldOutput));
  EXPECT_TRUE(knobHasEffect(KnobId::FdLimit, kKnobSetsFdLimit));
  EXPECT_FALSE(knobHasEffect(KnobId::Read, kKnobRestartsWorkers));
  EXPECT_TRUE(knobHasEffect(KnobId::Poller, kKnobSwitchesPoller));
  EXPECT_FALSE(knobChangesInterestMask(KnobId::Poller)) << "the switch adds or deletes instead";
}

}  // namespace
}  // namespace eps
