#pragma once

// returnsctl's commands, one noun each, in one file each (client/returnsctl/<noun>_commands.cc).
// main() adds them in the order below, which is the order --help and the completion list them.
#include <CLI/CLI.hpp>

#include "returnsctl/cli_common.h"

namespace returns::client {

// order upsert | import | get | list | ship
void AddOrderCommands(CLI::App& app, CommandContext& context);

// return create | eligibility | preview | get | list | cancel | receive | approve | reject |
// resolve
void AddReturnCommands(CLI::App& app, CommandContext& context);

// timeline ORDER_ID [--watch]
void AddTimelineCommands(CLI::App& app, CommandContext& context);

// token issue | show | list | redeem | revoke | charge-outcome | retry-charge
void AddExchangeTokenCommands(CLI::App& app, CommandContext& context);

// events [--after N] [--follow]
void AddEventCommands(CLI::App& app, CommandContext& context);

// inventory set | get | list
void AddInventoryCommands(CLI::App& app, CommandContext& context);

// key create | list | revoke
void AddApiKeyCommands(CLI::App& app, CommandContext& context);

// merchant create
void AddMerchantCommands(CLI::App& app, CommandContext& context);

// label create | download | void
void AddLabelCommands(CLI::App& app, CommandContext& context);

// shipments list | show | confirm
void AddShipmentCommands(CLI::App& app, CommandContext& context);

// carrier account set | list | delete
void AddCarrierCommands(CLI::App& app, CommandContext& context);

// sandbox advance
void AddSandboxCommands(CLI::App& app, CommandContext& context);

// jobs list | retry
void AddJobCommands(CLI::App& app, CommandContext& context);

// claim file | show | list | queue | review
void AddClaimCommands(CLI::App& app, CommandContext& context);

// money list | show | report | retry | cancel
void AddMoneyCommands(CLI::App& app, CommandContext& context);

// webhook create | list | update | rotate | delete | deliveries | replay
void AddWebhookCommands(CLI::App& app, CommandContext& context);

// evidence download
void AddEvidenceCommands(CLI::App& app, CommandContext& context);

// decisions [list] | override
void AddDecisionCommands(CLI::App& app, CommandContext& context);

// policy show | set | history
void AddPolicyCommands(CLI::App& app, CommandContext& context);

// kpis
void AddKpiCommands(CLI::App& app, CommandContext& context);

// call SERVICE/METHOD -d JSON
void AddCallCommand(CLI::App& app, CommandContext& context);

// completion bash; added last, so it sees every other command.
void AddCompletionCommand(CLI::App& app, CommandContext& context);

}  // namespace returns::client
