#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "app/common/page_token.h"
#include "app/money/money_use_cases.h"
#include "common/enum_text.h"
#include "google/protobuf/util/time_util.h"
#include "storage/money_movement_store.h"

namespace returns::app {

absl::Status ListMoneyMovements(const AppContext& app, CallContext& call,
                                const v1::ListMoneyMovementsRequest& request,
                                v1::ListMoneyMovementsResponse* response) {
  auto page_size = EffectivePageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  const std::string state =
      request.state() == v1::MONEY_MOVEMENT_STATE_UNSPECIFIED ? "" : EnumText(request.state());
  const std::string scope =
      absl::StrCat(call.merchant_id, "|ListMoneyMovements|", request.order_id(), "|", state);
  // Newest first: the first page starts before every movement (time 0 means "no position").
  auto position =
      DecodeTimeIdPosition(app.page_token_secret, scope, request.page_token(), {"0", ""});
  if (!position.ok()) return position.status();
  int64_t before_us = 0;
  if (!absl::SimpleAtoi(position->time_us, &before_us)) before_us = 0;
  return storage::RunTransaction(
      *app.pool, "ListMoneyMovements", call.deadline, [&](storage::Tx& tx) {
        std::vector<v1::MoneyMovement> movements =
            storage::MoneyMovementStore(tx).ListMoneyMovements(call.merchant_id, request.order_id(),
                                                               state, before_us, position->id,
                                                               *page_size + 1);
        const int shown = std::min<int>(movements.size(), *page_size);
        for (int i = 0; i < shown; ++i) *response->add_movements() = std::move(movements[i]);
        if (static_cast<int>(movements.size()) > *page_size) {
          const v1::MoneyMovement& last = response->movements(shown - 1);
          response->set_next_page_token(EncodePageToken(
              app.page_token_secret, scope,
              {absl::StrCat(
                   google::protobuf::util::TimeUtil::TimestampToMicroseconds(last.create_time())),
               last.movement_id()}));
        }
        return absl::OkStatus();
      });
}

}  // namespace returns::app
