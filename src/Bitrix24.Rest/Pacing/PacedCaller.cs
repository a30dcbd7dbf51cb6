using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
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
                    var delay = Bitrix24Client.Backoff(attempt);
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
        public static IList<string> InnerMethods(string method, JObject parameters)
        {
            if (!string.Equals(method, "batch", StringComparison.OrdinalIgnoreCase)) return new[] { method };
            var names = new List<string>();
            if (parameters?["cmd"] is JObject commands)
                foreach (var command in commands.Properties())
                {
                    var text = command.Value.ToString();
                    var query = text.IndexOf('?');
                    var inner = (query < 0 ? text : text.Substring(0, query)).Trim();
                    if (inner.Length > 0 && !names.Contains(inner, StringComparer.OrdinalIgnoreCase)) names.Add(inner);
                }
            return names;
        }

        public static void ObserveOperating(string method, Bitrix24Response response, JObject parameters, OperatingBudget budget)
        {
            if (!string.Equals(method, "batch", StringComparison.OrdinalIgnoreCase))
            {
                Observe(method, response.Time, budget);
                return;
            }
            if (!(response.Result?["result_time"] is JObject times) || !(parameters?["cmd"] is JObject commands)) return;
            // The last time block of each method counts (the budget is a running sum). A bulk batch is
            // one method 50 times: its name is cut out of the command once, not for every command.
            var latest = new Dictionary<string, JObject>(StringComparer.OrdinalIgnoreCase);
            string previousText = null, inner = null;
            for (var time = (JProperty)times.First; time != null; time = (JProperty)time.Next)
            {
                var text = (string)commands[time.Name] ?? "";
                var query = text.IndexOf('?');
                var length = query < 0 ? text.Length : query;
                if (previousText == null || length != previousText.Length || string.CompareOrdinal(text, 0, previousText, 0, length) != 0)
                {
                    previousText = text.Substring(0, length);
                    inner = previousText.Trim();
                }
                if (inner.Length > 0 && time.Value is JObject block) latest[inner] = block;
            }
            foreach (var pair in latest) Observe(pair.Key, pair.Value, budget);
        }

        /// <summary>The last time block of each method in the reply counts (the budget is a running sum).</summary>
        public static void ObserveOperating(IReadOnlyList<Batch.BatchItem> items, Batch.BatchReply reply, OperatingBudget budget)
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

        private static void Observe(string method, JObject time, OperatingBudget budget)
        {
            if (time == null) return;
            budget.Observe(method, NumberOrZero(time["operating"]), NumberOrZero(time["operating_reset_at"]));
        }

        /// <summary>A timing figure; anything but a number (missing, null, text) counts as 0 rather than
        /// failing the call whose result has already arrived.</summary>
        private static double NumberOrZero(JToken value) =>
            value != null && (value.Type == JTokenType.Integer || value.Type == JTokenType.Float) ? (double)value : 0;

    }
}
