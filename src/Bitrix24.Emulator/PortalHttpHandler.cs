using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Bitrix24.Emulator
{
    /// <summary>Serves HTTP requests from an <see cref="EmulatedPortal"/> without a socket
    /// (<c>Connect-Bitrix24 -Sandbox</c>).</summary>
    public sealed class PortalHttpHandler : HttpMessageHandler
    {
        private readonly EmulatedPortal _portal;

        public PortalHttpHandler(EmulatedPortal portal) => _portal = portal;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content == null ? "" : await request.Content.ReadAsStringAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            var answer = _portal.Handle(request.Method.Method, request.RequestUri.PathAndQuery,
                                        request.Content?.Headers.ContentType?.MediaType, body);
            if (_portal.Latency > System.TimeSpan.Zero) await Task.Delay(_portal.Latency, cancellationToken).ConfigureAwait(false);
            if (answer.DropConnection) throw new HttpRequestException("The connection was closed by the emulated portal.");
            return new HttpResponseMessage((HttpStatusCode)answer.Status)
            {
                Content = answer.Content != null ? FileContent(answer) : new StringContent(answer.Body, Encoding.UTF8, answer.ContentType),
                RequestMessage = request,
            };
        }

        private static HttpContent FileContent(EmulatorResponse answer)
        {
            var content = new ByteArrayContent(answer.Content);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(answer.ContentType);
            content.Headers.ContentDisposition = new System.Net.Http.Headers.ContentDispositionHeaderValue("attachment") { FileName = answer.FileName };
            return content;
        }
    }
}
