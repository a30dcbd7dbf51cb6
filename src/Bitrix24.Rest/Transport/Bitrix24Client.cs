using System;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Bitrix24.Rest.Connections;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Rest.Transport
{
    /// <summary>
    /// Sends one REST call as a JSON POST and turns the answer into a <see cref="Bitrix24Response"/> or a
    /// <see cref="Bitrix24Exception"/>. Everything it logs has passed the connection's redaction.
    /// </summary>
    public sealed class Bitrix24Client : IDisposable
    {
        private const int ExcerptLength = 200;
        private readonly Bitrix24Connection _connection;
        private readonly HttpClient _http;

        internal Bitrix24Client(Bitrix24Connection connection)
        {
            _connection = connection;
            // The sandbox's handler belongs to its in-process portal: do not dispose it with the client.
            _http = connection.Handler != null
                ? new HttpClient(connection.Handler, disposeHandler: false)
                : new HttpClient();
            _http.Timeout = System.Threading.Timeout.InfiniteTimeSpan; // enforced per call, see CallAsync
        }

        public Bitrix24Connection Connection => _connection;

        /// <summary>Calls <paramref name="method"/> with <paramref name="parameters"/> as the JSON body.</summary>
        /// <param name="log">Receives one line before sending and one after the answer (redacted).</param>
        public async Task<Bitrix24Response> CallAsync(string method, JObject parameters, CancellationToken cancellation,
                                                      Action<string> log = null)
        {
            if (string.IsNullOrWhiteSpace(method)) throw new ArgumentException("A method name is required.", nameof(method));
            var body = parameters != null ? (JObject)parameters.DeepClone() : new JObject();
            var shownBody = body.ToString(Formatting.None);  // before auth is added: what the user asked to send
            _connection.Authenticate(body);
            var json = body.ToString(Formatting.None);

            log?.Invoke(_connection.Redact($"POST {method} {shownBody}"));
            using (var timeout = new CancellationTokenSource(_connection.Timeout))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation, timeout.Token))
            using (var request = new HttpRequestMessage(HttpMethod.Post, _connection.MethodUri(method)))
            {
                request.Content = new StringContent(json, Encoding.UTF8, "application/json");
                request.Headers.Accept.ParseAdd("application/json");
                HttpResponseMessage response;
                string text;
                var started = DateTime.UtcNow;
                try
                {
                    response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token).ConfigureAwait(false);
                    text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
                {
                    throw;
                }
                catch (OperationCanceledException ex)
                {
                    throw new Bitrix24Exception(method, "TIMEOUT",
                        $"No answer from {_connection.Portal} within {_connection.Timeout.TotalSeconds:0.#} s.", 0, Scrub(ex));
                }
                catch (HttpRequestException ex)
                {
                    throw new Bitrix24Exception(method, "NETWORK_ERROR",
                        _connection.Redact($"Could not reach {_connection.Portal}: {Innermost(ex).Message}"), 0, Scrub(ex));
                }

                using (response)
                {
                    var status = (int)response.StatusCode;
                    log?.Invoke($"HTTP {status} from {method} in {(DateTime.UtcNow - started).TotalMilliseconds:0} ms");
                    return Interpret(method, status, response.Content.Headers.ContentType?.MediaType, text);
                }
            }
        }

        /// <summary>Turns an HTTP answer into a response or an exception (also used for batch answers).</summary>
        internal Bitrix24Response Interpret(string method, int status, string mediaType, string text)
        {
            JObject envelope = null;
            try
            {
                envelope = JsonText.Parse(text) as JObject;
            }
            catch (JsonException)
            {
                // handled below: Bitrix24 and proxies in front of it answer HTML pages on some failures
            }

            if (envelope == null)
            {
                var excerpt = Excerpt(text);
                var kind = string.IsNullOrEmpty(mediaType) ? "a body that is not JSON" : $"{mediaType} instead of JSON";
                throw new Bitrix24Exception(method, status >= 500 ? "INTERNAL_SERVER_ERROR" : "INVALID_RESPONSE",
                    $"The portal {_connection.Portal} answered HTTP {status} with {kind}: {excerpt}", status);
            }

            if (envelope.TryGetValue("error", out var error))
            {
                var description = (string)envelope["error_description"] ?? "";
                throw new Bitrix24Exception(method, _connection.Redact(error.ToString()), _connection.Redact(description), status);
            }

            if (status >= 400)
                throw new Bitrix24Exception(method, "", $"HTTP {status} without an error description", status);

            return Bitrix24Response.FromEnvelope(envelope);
        }

        private string Excerpt(string text)
        {
            if (string.IsNullOrWhiteSpace(text)) return "(empty)";
            // Strip tags so an HTML error page reads as its words, then shorten.
            var plain = System.Text.RegularExpressions.Regex.Replace(text, "<[^>]*>", " ");
            plain = System.Text.RegularExpressions.Regex.Replace(plain, @"\s+", " ").Trim();
            if (plain.Length > ExcerptLength) plain = plain.Substring(0, ExcerptLength) + "…";
            return _connection.Redact(plain);
        }

        private static Exception Innermost(Exception ex)
        {
            while (ex.InnerException != null) ex = ex.InnerException;
            return ex;
        }

        /// <summary>Framework exceptions may quote the request address (and so the webhook secret):
        /// keep only a redacted copy of the message as the inner exception.</summary>
        private Exception Scrub(Exception ex) => new Exception(_connection.Redact(Innermost(ex).Message));

        public void Dispose() => _http.Dispose();
    }
}
