using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Bitrix24.Rest.Batch;
using Bitrix24.Rest.Connections;
using Bitrix24.Rest.Transport;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Rest.Pacing
{
    /// <summary>
    /// The loop around every call: the method's operating budget and the shared leaky bucket before each
    /// send, token renewal, waits on QUERY_LIMIT_EXCEEDED and OPERATION_TIME_LIMIT, and retries with backoff.
    /// </summary>
    internal sealed class PacedCaller
    {
        private readonly Bitrix24Connection _connection;
        private readonly TokenRenewal _renewal;

        public PacedCaller(Bitrix24Connection connection, TokenRenewal renewal)
        {
            _connection = connection;
            _renewal = renewal;
        }

        /// <summary>The loop around one call: the operating budget and the leaky bucket before each send,
        /// token renewal, waits on QUERY_LIMIT_EXCEEDED / OPERATION_TIME_LIMIT, and retries.</summary>
        public async Task<T> CallAsync<T>(string method, IList<string> innerMethods, Func<Task<T>> send, CancellationToken cancellation,
                                            Action<string> log, bool retryUnknownOutcome)
        {
            var bucket = _connection.Bucket;
            var clock = _connection.Clock;
            var budget = _connection.Budget;
            budget.LimitSeconds = _connection.OperatingLimitSeconds;
            var attempt = 0;
            var refusals = 0;
            var refreshed = false;
            while (true)
            {
                var tokenUsed = _connection.AuthKind == Bitrix24AuthKind.OAuth ? _connection.AccessToken : null;
                foreach (var inner in innerMethods) await budget.WaitAsync(inner, cancellation, log).ConfigureAwait(false);
                var ticket = await bucket.AcquireAsync(cancellation, log).ConfigureAwait(false);
                if (ticket.Waited > TimeSpan.FromSeconds(1))
                    log?.Invoke($"Waited {ticket.Waited.TotalSeconds:0.#} s for the portal's request limit ({bucket.Describe()}).");
                attempt++;
                try
                {
                    return await SendCountedAsync(send, bucket, ticket, clock, log).ConfigureAwait(false);
                }
                catch (Bitrix24Exception ex) when (string.Equals(ex.ErrorCode, "expired_token", StringComparison.OrdinalIgnoreCase) && !refreshed)
                {
                    // Refused, not run: renew the token once (concurrent calls share one renewal) and send again.
                    if (!_connection.CanRefreshToken)
                        throw new Bitrix24Exception(method, ex.ErrorCode,
                            "The OAuth access token has expired. Connect again with a new token, or give -RefreshToken, -ClientId and -ClientSecret so the module can renew it.", ex.HttpStatus);
                    await _renewal.RenewAsync(tokenUsed, cancellation, log).ConfigureAwait(false);
                    refreshed = true;
                }
                catch (Bitrix24Exception ex) when (ex.ErrorCode == "QUERY_LIMIT_EXCEEDED" && ++refusals <= 50)
                {
                    // Refused, not run: the bucket has learned from it (see SendCountedAsync); wait and send again.
                    log?.Invoke($"{method}: the portal's request limit was reached (QUERY_LIMIT_EXCEEDED); waiting and sending again.");
                }
                catch (Bitrix24Exception ex) when (ex.ErrorCode == "OPERATION_TIME_LIMIT" && ++refusals <= 50)
                {
                    foreach (var inner in innerMethods) budget.Blocked(inner);
                    budget.Blocked(method);
                }
                catch (Bitrix24Exception ex) when (retryUnknownOutcome && ex.IsTransient && attempt < _connection.MaxAttempts)
                {
                    var delay = Bitrix24Client.Backoff(attempt, _connection.RetryIntervalSeconds);
                    log?.Invoke($"{method} failed ({ex.ErrorId}, attempt {attempt} of {_connection.MaxAttempts}); retrying in {delay.TotalSeconds:0.0} s.");
                    await clock.Delay(delay, cancellation).ConfigureAwait(false);
                }
            }
        }

        /// <summary>One paced send: tells the bucket how the portal answered (it learns the portal's limits
        /// from that), whether the send succeeds or fails.</summary>
        private static async Task<T> SendCountedAsync<T>(Func<Task<T>> send, LeakyBucket bucket, LeakyBucket.Ticket ticket, IClock clock, Action<string> log)
        {
            var started = clock.Elapsed;
            var outcome = RequestOutcome.Unknown;
            try
            {
                var answer = await send().ConfigureAwait(false);
                outcome = RequestOutcome.Accepted;
                return answer;
            }
            catch (Bitrix24Exception ex) when (ex.HttpStatus > 0)
            {
                // The portal answered: it refused the request as over its limit, or counted it.
                outcome = ex.ErrorCode == "QUERY_LIMIT_EXCEEDED" ? RequestOutcome.Refused : RequestOutcome.Accepted;
                throw;
            }
            finally
            {
                bucket.Completed(ticket, outcome, clock.Elapsed - started, log);
            }
        }

        /// <summary>The methods whose operating budget a call spends: the batch's commands, not the batch.</summary>
        public static IList<string> InnerMethods(string method, JObject parameters) =>
            string.Equals(method, "batch", StringComparison.OrdinalIgnoreCase) ? BatchItem.MethodsOf(BatchItem.FromCommands(parameters)) : new[] { method };

        /// <summary>What an answer said of the operating budget: its time block, or, for a batch, each command's.</summary>
        public static void ObserveOperating(string method, Bitrix24Response response, JObject parameters, OperatingBudget budget)
        {
            if (!string.Equals(method, "batch", StringComparison.OrdinalIgnoreCase))
            {
                if (response.Time != null)
                    budget.Observe(method, BatchAnswer.NumberOrZero(response.Time["operating"]), BatchAnswer.NumberOrZero(response.Time["operating_reset_at"]));
                return;
            }
            var items = BatchItem.FromCommands(parameters);
            ObserveOperating(items, BatchAnswer.ReadReply(response.Result, items), budget);
        }

        /// <summary>The last time block of each method in the reply counts (the budget is a running sum). A bulk
        /// batch is one method 50 times: the method is compared with the previous command's, not looked up.</summary>
        public static void ObserveOperating(IReadOnlyList<BatchItem> items, BatchReply reply, OperatingBudget budget)
        {
            if (reply.Times.Count == 0) return;
            string method = null;
            double operating = 0, resetAt = 0;
            foreach (var (index, blockOperating, blockResetAt) in reply.Times)
            {
                var inner = items[index].Method.Trim();
                if (method != null && !string.Equals(method, inner, StringComparison.OrdinalIgnoreCase)) budget.Observe(method, operating, resetAt);
                method = inner;
                operating = blockOperating;
                resetAt = blockResetAt;
            }
            budget.Observe(method, operating, resetAt);
        }
    }
}
