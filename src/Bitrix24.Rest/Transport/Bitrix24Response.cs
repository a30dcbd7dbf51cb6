using Newtonsoft.Json.Linq;

namespace Bitrix24.Rest.Transport
{
    /// <summary>A success envelope: <c>result</c>, and for list methods <c>total</c> and <c>next</c>.</summary>
    public sealed class Bitrix24Response
    {
        public Bitrix24Response(JToken result, int? total, int? next, JObject time)
        {
            Result = result;
            Total = total;
            Next = next;
            Time = time;
        }

        public JToken Result { get; }
        public int? Total { get; }
        public int? Next { get; }
        /// <summary>The <c>time</c> block (operating budget and timings), when the portal sent one.</summary>
        public JObject Time { get; }

        internal static Bitrix24Response FromEnvelope(JObject envelope) =>
            new Bitrix24Response(envelope["result"], ReadInt(envelope["total"]), ReadInt(envelope["next"]), envelope["time"] as JObject);

        internal static int? ReadInt(JToken token)
        {
            if (token == null || token.Type == JTokenType.Null) return null;
            return int.TryParse(token.ToString(), out var value) ? value : (int?)null;
        }
    }
}
