using System.IO;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Rest.Transport
{
    /// <summary>Parses JSON keeping every string a string. Json.NET's default turns ISO-looking strings
    /// into DateTime (shifted to the local zone), which would move a lead's BIRTHDATE by a day.</summary>
    public static class JsonText
    {
        public static JToken Parse(string text)
        {
            using (var reader = new JsonTextReader(new StringReader(text ?? "")) { DateParseHandling = DateParseHandling.None, FloatParseHandling = FloatParseHandling.Double })
            {
                var token = JToken.ReadFrom(reader);
                while (reader.Read()) { }   // trailing content other than whitespace throws
                return token;
            }
        }
    }
}
