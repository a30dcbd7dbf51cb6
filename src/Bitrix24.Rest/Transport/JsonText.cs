using System.IO;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Rest.Transport
{
    /// <summary>Parses JSON keeping every string a string. Json.NET's default turns ISO-looking strings
    /// into DateTime (shifted to the local zone), which would move a lead's BIRTHDATE by a day.</summary>
    public static class JsonText
    {
        // Answers are read once and never point back to a line: no line-number note on every token.
        private static readonly JsonLoadSettings Load = new JsonLoadSettings { LineInfoHandling = LineInfoHandling.Ignore };

        public static JToken Parse(string text) => Parse(new StringReader(text ?? ""));

        public static JToken Parse(TextReader text)
        {
            using (var reader = NewReader(text))
            {
                var token = JToken.ReadFrom(reader, Load);
                while (reader.Read()) { }   // trailing content other than whitespace throws
                return token;
            }
        }

        /// <summary>
        /// Parses an answer envelope; with <paramref name="compactBatchTimes"/>, a batch answer's
        /// <c>result.result_time</c> keeps only <c>operating</c> and <c>operating_reset_at</c> per command.
        /// A bulk run reads those two (for the operating budget) and nothing else of the eight timing
        /// fields, which are most of a 50-command answer.
        /// </summary>
        public static JToken ParseEnvelope(string text, bool compactBatchTimes) => ParseEnvelope(new StringReader(text ?? ""), compactBatchTimes);

        /// <inheritdoc cref="ParseEnvelope(string, bool)"/>
        public static JToken ParseEnvelope(TextReader text, bool compactBatchTimes)
        {
            if (!compactBatchTimes) return Parse(text);
            using (var reader = NewReader(text))
            {
                var token = reader.Read() && reader.TokenType == JsonToken.StartObject
                    ? ReadObject(reader, (name, r) => name == "result" ? ReadObject(r, (section, s) => section == "result_time" ? ReadObject(s, ReadTimeBlock) : null) : null)
                    : JToken.ReadFrom(reader, Load);
                while (reader.Read()) { }
                return token;
            }
        }

        /// <summary>Reads the object the reader is at; <paramref name="special"/> may read a property's
        /// value its own way (it returns null to leave it to the default).</summary>
        private static JToken ReadObject(JsonReader reader, System.Func<string, JsonReader, JToken> special)
        {
            if (reader.TokenType != JsonToken.StartObject) return JToken.ReadFrom(reader, Load);
            var obj = new JObject();
            while (reader.Read() && reader.TokenType == JsonToken.PropertyName)
            {
                var name = (string)reader.Value;
                if (!reader.Read()) throw new JsonReaderException("Unexpected end of JSON after property " + name + ".");
                obj[name] = (reader.TokenType == JsonToken.StartObject ? special(name, reader) : null) ?? JToken.ReadFrom(reader, Load);
            }
            if (reader.TokenType != JsonToken.EndObject) throw new JsonReaderException("Unexpected end of JSON in an object.");
            return obj;
        }

        private static JToken ReadTimeBlock(string command, JsonReader reader)
        {
            var block = new JObject();
            while (reader.Read() && reader.TokenType == JsonToken.PropertyName)
            {
                var name = (string)reader.Value;
                if (!reader.Read()) break;
                if (name == "operating" || name == "operating_reset_at") block[name] = JToken.ReadFrom(reader, Load);
                else reader.Skip();
            }
            if (reader.TokenType != JsonToken.EndObject) throw new JsonReaderException("Unexpected end of JSON in a time block.");
            return block;
        }

        private static JsonTextReader NewReader(TextReader text) =>
            new JsonTextReader(text) { DateParseHandling = DateParseHandling.None, FloatParseHandling = FloatParseHandling.Double, PropertyNameTable = Names };

        // The property names every answer repeats (envelope, batch sections, c0…c49 of bulk runs, timing
        // fields): the reader takes these strings instead of making a new one each time. Filled once
        // here and only read afterwards, so it is safe to share between threads.
        private static readonly DefaultJsonNameTable Names = KnownNames();

        private static DefaultJsonNameTable KnownNames()
        {
            var names = new DefaultJsonNameTable();
            foreach (var name in new[]
            {
                "result", "total", "next", "time", "error", "error_description",
                "result_error", "result_total", "result_next", "result_time",
                "start", "finish", "duration", "processing", "date_start", "date_finish", "operating_reset_at", "operating",
                "ID", "TITLE", "STATUS_ID", "VALUE", "VALUE_TYPE", "TYPE_ID",
            })
                names.Add(name);
            for (var i = 0; i < 50; i++) names.Add("c" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return names;
        }
    }
}
