using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Bitrix24.Emulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bitrix24.Emulator.Server
{
    /// <summary>
    /// Hosts an <see cref="EmulatedPortal"/> on Kestrel at 127.0.0.1 on a free port. It stops when
    /// disposed, and by itself after <see cref="MaxLifetime"/> whatever happens to the test.
    /// </summary>
    public sealed class EmulatorServer : IDisposable
    {
        public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(10);
        private readonly WebApplication _app;
        private readonly Timer _selfStop;

        public EmulatorServer(EmulatedPortal portal = null)
        {
            Portal = portal ?? new EmulatedPortal("s3cr3tWebhookKey");
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
            _app = builder.Build();
            _app.Run(Serve);
            _app.StartAsync().GetAwaiter().GetResult();
            var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>().Addresses.First();
            BaseUri = new Uri(address.EndsWith("/") ? address : address + "/");
            _selfStop = new Timer(_ => Dispose(), null, MaxLifetime, Timeout.InfiniteTimeSpan);
        }

        public EmulatedPortal Portal { get; }
        public Uri BaseUri { get; }
        /// <summary>The inbound webhook URL of the emulated portal (http is allowed: loopback).</summary>
        public string WebhookUrl => new Uri(BaseUri, Portal.WebhookPath.TrimStart('/')).ToString();

        private async Task Serve(HttpContext context)
        {
            string body;
            using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8))
                body = await reader.ReadToEndAsync();
            if (context.Request.Path.StartsWithSegments(ControlApi.Prefix))
            {
                var (status, json) = ControlApi.Handle(Portal, context.Request.Path.Value.Substring(ControlApi.Prefix.Length), body);
                context.Response.StatusCode = status;
                context.Response.ContentType = "application/json; charset=utf-8";
                await context.Response.WriteAsync(json, Encoding.UTF8);
                return;
            }
            // The portal counts and applies the call on arrival; the answer then takes Latency to come back.
            var answer = Portal.Handle(context.Request.Method, context.Request.Path + context.Request.QueryString,
                                       context.Request.ContentType, body);
            if (Portal.Latency > TimeSpan.Zero) await Task.Delay(Portal.Latency);
            if (answer.DropConnection) { context.Abort(); return; }
            context.Response.StatusCode = answer.Status;
            if (answer.Content != null)
            {
                context.Response.ContentType = answer.ContentType;
                context.Response.Headers["Content-Disposition"] = new System.Net.Http.Headers.ContentDispositionHeaderValue("attachment") { FileName = answer.FileName }.ToString();
                await context.Response.Body.WriteAsync(answer.Content, 0, answer.Content.Length);
                return;
            }
            context.Response.ContentType = answer.ContentType + "; charset=utf-8";
            await context.Response.WriteAsync(answer.Body, Encoding.UTF8);
        }

        private int _disposed;
        private readonly ManualResetEventSlim _stopped = new ManualResetEventSlim();

        /// <summary>Blocks until the server stops (disposed, or its lifetime is over).</summary>
        public void WaitForStop() => _stopped.Wait();

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
            _selfStop?.Dispose();
            using (var stopWithin = new CancellationTokenSource(TimeSpan.FromSeconds(5))) _app.StopAsync(stopWithin.Token).GetAwaiter().GetResult();
            ((IDisposable)_app).Dispose();
            _stopped.Set();
        }
    }
}
