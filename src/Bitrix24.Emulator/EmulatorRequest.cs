using System;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Emulator
{
    /// <summary>One REST call as the portal saw it: for tests to prove what travelled.</summary>
    public sealed class RecordedCall
    {
        public RecordedCall(string method, JObject parameters, string rawBody, bool viaBatch, int httpStatus, string errorDescription)
        {
            Method = method;
            Parameters = parameters;
            RawBody = rawBody;
            ViaBatch = viaBatch;
            HttpStatus = httpStatus;
            ErrorDescription = errorDescription;
            At = DateTimeOffset.UtcNow;
        }

        public string Method { get; }
        /// <summary>The parameters after decoding (JSON body, form body or batch command string).</summary>
        public JObject Parameters { get; }
        /// <summary>The HTTP body as sent (for a batch sub-command: its command string).</summary>
        public string RawBody { get; }
        public bool ViaBatch { get; }
        public int HttpStatus { get; }
        public string ErrorDescription { get; }
        public DateTimeOffset At { get; }
        public override string ToString() => $"{Method}{(ViaBatch ? " (batch)" : "")} -> {HttpStatus} {RawBody}";
    }

    /// <summary>An HTTP answer of the portal.</summary>
    public sealed class EmulatorResponse
    {
        public EmulatorResponse(int status, string body, string contentType = "application/json")
        {
            Status = status;
            Body = body;
            ContentType = contentType;
        }

        /// <summary>A file's content, served as is (with <see cref="FileName"/>); null for a text answer.</summary>
        public EmulatorResponse(byte[] content, string fileName)
        {
            Status = 200;
            Content = content;
            FileName = fileName;
            ContentType = "application/octet-stream";
        }

        public int Status { get; }
        public string Body { get; }
        public byte[] Content { get; }
        public string FileName { get; }
        public string ContentType { get; }
        /// <summary>Set by a fault: the connection drops instead of answering.</summary>
        public bool DropConnection { get; set; }
    }

    /// <summary>A failure the portal raises on purpose: its code, text and HTTP status.</summary>
    public sealed class PortalError : Exception
    {
        public PortalError(int status, string code, string description) : base(description)
        {
            Status = status;
            Code = code;
            Description = description;
        }

        public int Status { get; }
        public string Code { get; }
        public string Description { get; }

        public static PortalError Method(string description) => new PortalError(400, "", description);
    }
}
