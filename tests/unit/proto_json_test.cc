// ProtoToJson against protobuf's own printer: every message type the contract reaches (every
// request and response of every service, and every message inside them), filled with seeded
// random values (unicode and control characters, extreme integers, floats, enums unknown to the
// contract, maps, oneofs, empty nested messages), must print the same JSON value. Seeded:
// RETURNS_PROTO_JSON_SEED, RETURNS_PROTO_JSON_ROUNDS.
#include "common/proto_json.h"

#include <cstdlib>
#include <limits>
#include <memory>
#include <random>
#include <set>

#include <gtest/gtest.h>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/message.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/json_util.h"
#include "nlohmann/json.hpp"
#include "contract_files.h"
#include "returns/v1/return.pb.h"

namespace returns {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

std::set<const Descriptor*> ContractMessages() {
  std::set<const Descriptor*> found;
  std::vector<const Descriptor*> to_visit;
  for (const auto& [file_name, file] : testing::ContractServiceFiles()) {
    if (file == nullptr) continue;
    for (int s = 0; s < file->service_count(); ++s) {
      for (int m = 0; m < file->service(s)->method_count(); ++m) {
        to_visit.push_back(file->service(s)->method(m)->input_type());
        to_visit.push_back(file->service(s)->method(m)->output_type());
      }
    }
  }
  while (!to_visit.empty()) {
    const Descriptor* d = to_visit.back();
    to_visit.pop_back();
    if (d->options().map_entry()) continue;  // printed inside their map, never alone
    if (!found.insert(d).second) continue;
    for (int i = 0; i < d->field_count(); ++i) {
      if (d->field(i)->message_type() != nullptr) to_visit.push_back(d->field(i)->message_type());
    }
  }
  return found;
}

class Filler {
 public:
  explicit Filler(uint32_t seed) : rng_(seed) {}

  void Fill(Message* message, int depth) {
    const Descriptor* d = message->GetDescriptor();
    if (d->full_name() == "google.protobuf.Timestamp") {
      auto* ts = static_cast<google::protobuf::Timestamp*>(message);
      ts->set_seconds(Pick<int64_t>(-62135596800LL, 253402300799LL));
      const int kind = rng_() % 4;  // whole seconds, millis, micros, nanos
      const int nanos = Pick<int>(0, 999999999);
      ts->set_nanos(kind == 0   ? 0
                    : kind == 1 ? nanos / 1000000 * 1000000
                    : kind == 2 ? nanos / 1000 * 1000
                                : nanos);
      return;
    }
    if (d->file()->package() == "google.protobuf")
      return;  // Struct etc.: left to protobuf's printer
    const auto* r = message->GetReflection();
    for (int i = 0; i < d->field_count(); ++i) {
      const FieldDescriptor* field = d->field(i);
      if (rng_() % 3 == 0) continue;  // left unset (default)
      if (field->is_repeated()) {
        const int n = rng_() % 4;
        for (int k = 0; k < n; ++k) AddOne(message, field, depth);
      } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        if (depth < 4) Fill(r->MutableMessage(message, field), depth + 1);
      } else {
        SetOne(message, field);
      }
    }
  }

 private:
  template <typename T>
  T Pick(T low, T high) {
    if (rng_() % 4 == 0) return rng_() % 2 ? low : high;
    if (rng_() % 4 == 0) return T{0};
    return std::uniform_int_distribution<T>(low, high)(rng_);
  }
  double PickDouble() {
    switch (rng_() % 6) {
      case 0:
        return 0.1;
      case 1:
        return std::numeric_limits<double>::infinity();
      case 2:
        return std::nan("");
      case 3:
        return 1e300 * (rng_() % 2 ? 1 : -1);
      default:
        return std::uniform_real_distribution<double>(-1e6, 1e6)(rng_);
    }
  }
  std::string PickString() {
    static const char* kPieces[] = {"a",   "Zürich", "\"", "\\", "\n", "\t",     "\x01", "\x1f",
                                    "<>&", "😀",      "€",  " ",  "/",  "\u2028", "line"};
    std::string text;
    const int n = rng_() % 6;
    for (int i = 0; i < n; ++i) text += kPieces[rng_() % (sizeof kPieces / sizeof *kPieces)];
    return text;
  }
  std::string PickBytes() {
    std::string bytes(rng_() % 9, '\0');
    for (char& c : bytes) c = static_cast<char>(rng_());
    return bytes;
  }
  int PickEnum(const FieldDescriptor* field) {
    if (rng_() % 5 == 0) return 1000 + rng_() % 5;  // a number the contract does not name
    return field->enum_type()->value(rng_() % field->enum_type()->value_count())->number();
  }

  void SetOne(Message* m, const FieldDescriptor* f) {
    const auto* r = m->GetReflection();
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32:
        r->SetInt32(m, f, Pick<int32_t>(INT32_MIN, INT32_MAX));
        break;
      case FieldDescriptor::CPPTYPE_UINT32:
        r->SetUInt32(m, f, Pick<uint32_t>(0, UINT32_MAX));
        break;
      case FieldDescriptor::CPPTYPE_INT64:
        r->SetInt64(m, f, Pick<int64_t>(INT64_MIN, INT64_MAX));
        break;
      case FieldDescriptor::CPPTYPE_UINT64:
        r->SetUInt64(m, f, Pick<uint64_t>(0, UINT64_MAX));
        break;
      case FieldDescriptor::CPPTYPE_DOUBLE:
        r->SetDouble(m, f, PickDouble());
        break;
      case FieldDescriptor::CPPTYPE_FLOAT:
        r->SetFloat(m, f, static_cast<float>(PickDouble()));
        break;
      case FieldDescriptor::CPPTYPE_BOOL:
        r->SetBool(m, f, rng_() % 2);
        break;
      case FieldDescriptor::CPPTYPE_ENUM:
        r->SetEnumValue(m, f, PickEnum(f));
        break;
      case FieldDescriptor::CPPTYPE_STRING:
        r->SetString(m, f, f->type() == FieldDescriptor::TYPE_BYTES ? PickBytes() : PickString());
        break;
      case FieldDescriptor::CPPTYPE_MESSAGE:
        break;
    }
  }
  void AddOne(Message* m, const FieldDescriptor* f, int depth) {
    const auto* r = m->GetReflection();
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32:
        r->AddInt32(m, f, Pick<int32_t>(INT32_MIN, INT32_MAX));
        break;
      case FieldDescriptor::CPPTYPE_UINT32:
        r->AddUInt32(m, f, Pick<uint32_t>(0, UINT32_MAX));
        break;
      case FieldDescriptor::CPPTYPE_INT64:
        r->AddInt64(m, f, Pick<int64_t>(INT64_MIN, INT64_MAX));
        break;
      case FieldDescriptor::CPPTYPE_UINT64:
        r->AddUInt64(m, f, Pick<uint64_t>(0, UINT64_MAX));
        break;
      case FieldDescriptor::CPPTYPE_DOUBLE:
        r->AddDouble(m, f, PickDouble());
        break;
      case FieldDescriptor::CPPTYPE_FLOAT:
        r->AddFloat(m, f, static_cast<float>(PickDouble()));
        break;
      case FieldDescriptor::CPPTYPE_BOOL:
        r->AddBool(m, f, rng_() % 2);
        break;
      case FieldDescriptor::CPPTYPE_ENUM:
        r->AddEnumValue(m, f, PickEnum(f));
        break;
      case FieldDescriptor::CPPTYPE_STRING:
        r->AddString(m, f, f->type() == FieldDescriptor::TYPE_BYTES ? PickBytes() : PickString());
        break;
      case FieldDescriptor::CPPTYPE_MESSAGE:
        if (f->is_map()) {
          Message* entry = r->AddMessage(m, f);
          SetOne(entry, f->message_type()->map_key());
          const FieldDescriptor* value = f->message_type()->map_value();
          if (value->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
            Fill(entry->GetReflection()->MutableMessage(entry, value), depth + 1);
          } else {
            SetOne(entry, value);
          }
        } else if (depth < 4) {
          Fill(r->AddMessage(m, f), depth + 1);
        }
        break;
    }
  }

  std::mt19937 rng_;
};

int EnvInt(const char* name, int fallback) {
  const char* value = std::getenv(name);
  return value == nullptr ? fallback : std::atoi(value);
}

TEST(ProtoJsonTest, SameJsonAsProtobufsPrinterForEveryContractMessage) {
  const std::set<const Descriptor*> messages = ContractMessages();
  ASSERT_GT(messages.size(), 50u);
  const uint32_t seed = EnvInt("RETURNS_PROTO_JSON_SEED", 1);
  const int rounds = EnvInt("RETURNS_PROTO_JSON_ROUNDS", 40);
  Filler filler(seed);
  auto* factory = google::protobuf::MessageFactory::generated_factory();
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  int compared = 0;
  for (const Descriptor* d : messages) {
    for (int round = 0; round < rounds; ++round) {
      std::unique_ptr<Message> message(factory->GetPrototype(d)->New());
      filler.Fill(message.get(), 0);
      std::string expected;
      const bool printable =
          google::protobuf::util::MessageToJsonString(*message, &expected, options).ok();
      absl::StatusOr<std::string> got = ProtoToJson(*message);
      ASSERT_EQ(got.ok(), printable) << d->full_name() << " seed " << seed;
      if (!printable) continue;
      // Parsed, so that map key order and escape choices do not count.
      const auto ours = nlohmann::json::parse(*got, nullptr, false);
      const auto theirs = nlohmann::json::parse(expected, nullptr, false);
      ASSERT_FALSE(ours.is_discarded()) << d->full_name() << ": " << *got;
      ASSERT_FALSE(theirs.is_discarded()) << d->full_name() << ": " << expected;
      EXPECT_EQ(ours, theirs) << d->full_name() << " seed " << seed << "\n ours:     " << *got
                              << "\n protobuf: " << expected;
      ++compared;
    }
  }
  EXPECT_GT(compared, 1000);
}

TEST(ProtoJsonTest, AnOutOfRangeTimestampFailsAsProtobufsPrinterDoes) {
  v1::Return ret;
  ret.mutable_create_time()->set_seconds(253402300800LL);
  EXPECT_FALSE(ProtoToJson(ret).ok());
}

}  // namespace
}  // namespace returns
