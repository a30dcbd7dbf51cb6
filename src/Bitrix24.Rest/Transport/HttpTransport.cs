using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
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
    /// One HTTP round trip to the portal: the JSON body, the connection's timeout, the answer read and turned
    /// into a <see cref="Bitrix24Response"/> or a <see cref="Bitrix24Exception"/> (an error body that is not
    /// JSON included). Everything it logs or puts in an error has passed the connection's redaction.
    /// </summary>
    internal sealed class HttpTransport : IDisposable
    {
        private const int ExcerptLength = 200;
        private readonly Bitrix24Connection _connection;
        private readonly HttpClient _http;

        public HttpTransport(Bitrix24Connection connection)
        {
            _connection = connection;
            // The sandbox's handler belongs to its in-process portal: do not dispose it with the client.
            _http = connection.Handler != null
                ? new HttpClient(connection.Handler, disposeHandler: false)
                : new HttpClient(CreateHandler());
            _http.Timeout = System.Threading.Timeout.InfiniteTimeSpan; // enforced per call, see RoundTripAsync
            if (OnNetFramework) System.Net.ServicePointManager.SecurityProtocol = WithModernTls(System.Net.ServicePointManager.SecurityProtocol, OnNetFramework);
        }

        /// <summary>Connections one portal may have open at once: a bulk run's calls in flight and a listing
        /// beside it. .NET Framework (Windows PowerShell 5.1) allows 2 per server unless told.</summary>
        internal const int ConnectionsPerServer = 32;

        internal static readonly bool OnNetFramework =
            System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

        internal static HttpClientHandler CreateHandler()
        {
            if (OnNetFramework && System.Net.ServicePointManager.DefaultConnectionLimit < ConnectionsPerServer)
                System.Net.ServicePointManager.DefaultConnectionLimit = ConnectionsPerServer;
            return new HttpClientHandler { MaxConnectionsPerServer = ConnectionsPerServer };
        }

        /// <summary>Windows PowerShell 5.1 (.NET Framework) may default to TLS 1.0, which portals refuse:
        /// there TLS 1.2 is added. Later .NET versions negotiate it themselves (their default is left alone).</summary>
        internal static System.Net.SecurityProtocolType WithModernTls(System.Net.SecurityProtocolType current, bool onNetFramework) =>
            onNetFramework ? current | System.Net.SecurityProtocolType.Tls12 : current;

        /// <summary>A GET outside the REST endpoint (the OAuth server), inside the connection's timeout: its status and body.</summary>
        public async Task<(int Status, string Body)> GetAsync(Uri uri, CancellationToken cancellation)
        {
            using (var timeout = new CancellationTokenSource(_connection.Timeout))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation, timeout.Token))
            using (var response = await _http.GetAsync(uri, linked.Token).ConfigureAwait(false))
                return ((int)response.StatusCode, await response.Content.ReadAsStringAsync().ConfigureAwait(false));
        }

        /// <summary>A file the portal serves at <paramref name="uri"/>: its content and the name the portal gives it
        /// (Content-Disposition), or an error naming the status.</summary>
        public async Task<(byte[] Content, string FileName)> DownloadAsync(Uri uri, CancellationToken cancellation, Action<string> log)
        {
            log?.Invoke(_connection.Redact("GET " + uri.GetLeftPart(UriPartial.Path)));
            using (var timeout = new CancellationTokenSource(_connection.Timeout))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation, timeout.Token))
            using (var response = await _http.GetAsync(uri, linked.Token).ConfigureAwait(false))
            {
                var content = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                    throw new Bitrix24Exception("file download", "HTTP_" + (int)response.StatusCode,
                        _connection.Redact($"The portal answered HTTP {(int)response.StatusCode} for {uri.GetLeftPart(UriPartial.Path)}."), (int)response.StatusCode);
                // A sign-in page answered in place of the file (a portal that wants a browser session) is not saved as the file.
                if (string.Equals(response.Content.Headers.ContentType?.MediaType, "text/html", StringComparison.OrdinalIgnoreCase))
                    throw new Bitrix24Exception("file download", "NOT_A_FILE",
                        _connection.Redact($"The portal answered {uri.GetLeftPart(UriPartial.Path)} with a web page, not the file: it may want a signed-in browser, which this connection is not."), (int)response.StatusCode);
                var disposition = response.Content.Headers.ContentDisposition;
                return (content, (disposition?.FileNameStar ?? disposition?.FileName)?.Trim('"'));
            }
        }

        /// <summary>One HTTP round trip.</summary>
        public async Task<Bitrix24Response> SendAsync(string method, JObject parameters, CancellationToken cancellation, Action<string> log)
        {
            var body = parameters ?? new JObject();
            // What the user asked to send, before auth is added (the log never sees the token).
            if (log != null) log(_connection.Redact($"POST {method} {Shorten(body.ToString(Formatting.None))}"));
            if (_connection.AuthKind == Bitrix24AuthKind.OAuth)
            {
                body = (JObject)body.DeepClone();
                _connection.Authenticate(body);
            }
            var (status, contentType, answer) = await RoundTripAsync(method, JsonContent(body), cancellation, log).ConfigureAwait(false);
            return Interpret(method, status, contentType, answer, compactBatchTimes: false);
        }

        /// <summary>One HTTP round trip of a batch call.</summary>
        public async Task<Batch.BatchReply> SendBatchAsync(IReadOnlyList<Batch.BatchItem> items, CancellationToken cancellation, Action<string> log)
        {
            var text = Batch.BatchEncoding.BatchBody(items, _connection.AuthKind == Bitrix24AuthKind.OAuth ? _connection.AccessToken : null);
            // The token is one of the connection's secrets: the log shows it as ***.
            if (log != null) log(_connection.Redact($"POST batch {Shorten(text)}"));
            var content = new ByteArrayContent(Utf8.GetBytes(text));
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            var (status, contentType, answer) = await RoundTripAsync("batch", content, cancellation, log).ConfigureAwait(false);
            var response = Interpret("batch", status, contentType, answer, compactBatchTimes: true);
            return Batch.BatchAnswer.ReadReply(response.Result, items);
        }

        /// <summary>Sends the request and reads the whole answer, inside the connection's timeout.</summary>
        private async Task<(int Status, System.Net.Http.Headers.MediaTypeHeaderValue ContentType, MemoryStream Answer)> RoundTripAsync(
            string method, HttpContent content, CancellationToken cancellation, Action<string> log)
        {
            using (var timeout = new CancellationTokenSource(_connection.Timeout))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation, timeout.Token))
            using (var request = new HttpRequestMessage(HttpMethod.Post, _connection.MethodUri(method)))
            {
                request.Content = content;
                request.Headers.Accept.ParseAdd("application/json");
                HttpResponseMessage response;
                MemoryStream answer;
                var started = DateTime.UtcNow;
                try
                {
                    // The body is read here, inside the timeout, into one buffer: no string of it is made
                    // (a 50-command answer is parsed straight from the bytes).
                    response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
                    try
                    {
                        answer = await ReadBodyAsync(response, linked.Token).ConfigureAwait(false);
                    }
                    catch
                    {
                        response.Dispose();
                        throw;
                    }
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
                catch (Exception ex) when (ex is HttpRequestException || ex is IOException)
                {
                    throw new Bitrix24Exception(method, "NETWORK_ERROR",
                        _connection.Redact($"Could not reach {_connection.Portal}: {Innermost(ex).Message}"), 0, Scrub(ex));
                }

                using (response)
                {
                    var status = (int)response.StatusCode;
                    log?.Invoke($"HTTP {status} from {method} in {(DateTime.UtcNow - started).TotalMilliseconds:0} ms");
                    return (status, response.Content.Headers.ContentType, answer);
                }
            }
        }

        private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

        /// <summary>The body as UTF-8 JSON, written straight to bytes (no string of it in between).</summary>
        private static HttpContent JsonContent(JObject body)
        {
            var bytes = new MemoryStream(8192);   // a 50-command batch fits: one buffer, no regrowth
            using (var text = new StreamWriter(bytes, Utf8, 1024, leaveOpen: true))
            using (var writer = new JsonTextWriter(text) { Formatting = Formatting.None })
                body.WriteTo(writer);
            var content = new ByteArrayContent(bytes.GetBuffer(), 0, (int)bytes.Length);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            return content;
        }

        private static async Task<MemoryStream> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellation)
        {
            var length = response.Content.Headers.ContentLength;
            var buffer = new MemoryStream(length > 0 && length < int.MaxValue ? (int)length.Value : 4096);
            using (var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
                await stream.CopyToAsync(buffer, 16384, cancellation).ConfigureAwait(false);
            buffer.Position = 0;
            return buffer;
        }

        /// <summary>The answer's text encoding: its declared charset, else UTF-8 (what portals send).</summary>
        private static Encoding EncodingOf(System.Net.Http.Headers.MediaTypeHeaderValue contentType)
        {
            var charset = contentType?.CharSet?.Trim('"', ' ');
            if (string.IsNullOrEmpty(charset) || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)) return Utf8;
            try { return Encoding.GetEncoding(charset); }
            catch (ArgumentException) { return Utf8; }
        }

        /// <summary>Verbose shows what is sent, but a 50-command batch is cut to stay readable.</summary>
        private static string Shorten(string body) => body.Length <= 4000 ? body : body.Substring(0, 4000) + $"… ({body.Length} characters)";

        /// <summary>Turns an HTTP answer into a response or an exception.</summary>
        private Bitrix24Response Interpret(string method, int status, System.Net.Http.Headers.MediaTypeHeaderValue contentType, MemoryStream answer, bool compactBatchTimes)
        {
            var encoding = EncodingOf(contentType);
            JObject envelope = null;
            try
            {
                using (var text = new StreamReader(answer, encoding, detectEncodingFromByteOrderMarks: true, bufferSize: 2048, leaveOpen: true))
                    envelope = JsonText.ParseEnvelope(text, compactBatchTimes) as JObject;
            }
            catch (JsonException)
            {
                // handled below: Bitrix24 and proxies in front of it answer HTML pages on some failures
            }

            if (envelope == null)
            {
                var excerpt = Excerpt(encoding.GetString(answer.GetBuffer(), 0, (int)answer.Length));
                var mediaType = contentType?.MediaType;
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
        public Exception Scrub(Exception ex) => new Exception(_connection.Redact(Innermost(ex).Message));

        public void Dispose() => _http.Dispose();
    }
}
