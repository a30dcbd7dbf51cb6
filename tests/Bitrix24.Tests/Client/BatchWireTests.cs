using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Bitrix24.Rest.Batch;
using Bitrix24.Rest.Connections;
using Bitrix24.Rest.Transport;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Bitrix24.Tests.Client
{
    /// <summary>
    /// Batch calls of bulk runs and lead reads write their body and read their answer without building
    /// either as JSON objects. Both must say exactly what the general path (Json.NET) says: the same body
    /// bytes, the same result, error, total and next for every command, the same budget figures, and an
    /// answer the fast reader does not know must still end as the same error as before.
    /// </summary>
    public class BatchWireTests
    {
        // ---- the body -----------------------------------------------------------------------------------

        [Fact]
        public void ALoneSurrogateGoesAsTheReplacementCharacterAsUtf8WritesIt()
        {
            Assert.Equal("m?v=a%EF%BF%BDb", BatchEncoding.EncodeCommand("m", new JObject { ["v"] = "a\uD800b" }));
            Assert.Equal(System.Text.Encoding.UTF8.GetBytes("\uD800"), new byte[] { 0xEF, 0xBF, 0xBD });
        }

        [Theory]
        [InlineData("plain")]
        [InlineData("Tom & Jerry + Co 100% = ~fine_-.")]
        [InlineData("Иван Петров, 日本語, ünïcödé")]
        [InlineData("emoji 😀 and 𝄞")]
        [InlineData("quote \" backslash \\ slash / tab \t newline \n nul \0 del \u007f")]
        [InlineData("")]
        public void ValuesArePercentEncodedAsUriEscapeDataStringDoes(string value)
        {
            Assert.Equal("m?v=" + Uri.EscapeDataString(value), BatchEncoding.EncodeCommand("m", new JObject { ["v"] = value }));
        }

        [Fact]
        public void EveryAsciiCharacterAndALongTextAreEncodedAsTheFrameworkDoes()
        {
            var ascii = new string(Enumerable.Range(0, 128).Select(c => (char)c).ToArray());
            Assert.Equal("m?" + Uri.EscapeDataString(ascii) + "=" + Uri.EscapeDataString(ascii),
                         BatchEncoding.EncodeCommand("m", new JObject { [ascii] = ascii }));
            var comments = string.Concat(Enumerable.Repeat("Длинный комментарий + notes; ", 2000));
            Assert.Equal("m?fields[COMMENTS]=" + Uri.EscapeDataString(comments),
                         BatchEncoding.EncodeCommand("m", new JObject { ["fields"] = new JObject { ["COMMENTS"] = comments } }));
        }

        /// <summary>The portal reads a command's query the way PHP's parse_str does: brackets make arrays, 1/0 are the
        /// booleans' strings, an empty value is ''. (PHP's http_build_query would percent-encode the brackets, which
        /// parse_str reads alike, and leave a null out; a null goes here as '' so that it clears the field.)</summary>
        [Fact]
        public void NumbersBooleansAndNullsAreWrittenAsPhpReadsThem()
        {
            var parameters = new JObject
            {
                ["id"] = 7,
                ["fields"] = new JObject
                {
                    ["BIG"] = 9007199254740993L,
                    ["NEGATIVE"] = -5,
                    ["PRICE"] = 1500.25,
                    ["YES"] = true,
                    ["NO"] = false,
                    ["NOTHING"] = JValue.CreateNull(),
                },
            };
            Assert.Equal("crm.lead.update?id=7&fields[BIG]=9007199254740993&fields[NEGATIVE]=-5&fields[PRICE]=1500.25" +
                         "&fields[YES]=1&fields[NO]=0&fields[NOTHING]=",
                         BatchEncoding.EncodeCommand("crm.lead.update", parameters));
        }

        /// <summary>Patches as a bulk run makes them: they write themselves into the batch command.</summary>
        public static IEnumerable<object[]> Patches()
        {
            yield return new object[] { new Bitrix24.Rest.Crm.CrmPatch(Bitrix24.Rest.Crm.CrmEntity.Lead, 7).Set("TITLE", "Иван & Co +1").Set("STATUS_ID", "IN_PROCESS") };
            yield return new object[] { new Bitrix24.Rest.Crm.CrmPatch(Bitrix24.Rest.Crm.CrmEntity.Lead, 123456).Set("PHONE", new[] { "+7 999 000-00-00", "+1 555" }).Set("OPENED", true).Set("OPPORTUNITY", 12.5m) };
            yield return new object[] { new Bitrix24.Rest.Crm.CrmPatch(Bitrix24.Rest.Crm.CrmEntity.Lead, 8) { RegisterSonetEvent = true }.Set("COMMENTS", "a=b&c\n😀").Set("CONTACT_IDS", new[] { 3, 4 }) };
            yield return new object[] { new Bitrix24.Rest.Crm.CrmPatch(Bitrix24.Rest.Crm.CrmEntity.Lead, 9) };
            yield return new object[] { Bitrix24.Rest.Crm.CrmPatch.ForNew(Bitrix24.Rest.Crm.CrmEntity.Lead).Set("TITLE", "new").Set("ASSIGNED_BY_ID", 5) };
        }

        [Theory]
        [MemberData(nameof(Patches))]
        public void APatchWritesItselfAsItsParametersObjectIsEncoded(Bitrix24.Rest.Crm.CrmPatch patch)
        {
            var written = new StringBuilder("crm.lead.update?");
            patch.AppendQuery(written, written.Length);
            var expected = BatchEncoding.EncodeCommand("crm.lead.update", patch.ToParameters());
            Assert.Equal(expected.Contains('?') ? expected : expected + "?", written.ToString());

            // In a body, next to a command given as an object: the same text as Json.NET makes of both.
            var items = new[] { new BatchItem("c0", "crm.lead.update", null, patch), new BatchItem("c1", "crm.lead.get", new JObject { ["id"] = 1 }) };
            var body = new JObject { ["halt"] = 0, ["cmd"] = new JObject { ["c0"] = expected, ["c1"] = "crm.lead.get?id=1" } }.ToString(Formatting.None);
            Assert.Equal(body, BatchEncoding.BatchBody(items));
        }

        [Fact]
        public void ABatchBodyIsByteForByteWhatJsonNetWritesOfTheBatchObject()
        {
            var items = new[]
            {
                new BatchItem("c0", "crm.lead.update", new JObject { ["id"] = 1, ["fields"] = new JObject { ["TITLE"] = "Иван & Co", ["OPENED"] = true } }),
                new BatchItem("c1", "crm.lead.update", new JObject
                {
                    ["id"] = 2,
                    ["fields"] = new JObject { ["PHONE"] = new JArray(new JObject { ["VALUE"] = "+7 999", ["VALUE_TYPE"] = "WORK" }) },
                    ["params"] = new JObject { ["REGISTER_SONET_EVENT"] = "N" },
                }),
                new BatchItem("c2", "crm.lead.get", new JObject { ["id"] = 3 }),
                new BatchItem("c3", "crm.lead.fields", null),
                new BatchItem("c4", "crm.lead.fields", new JObject { ["fields"] = new JObject() }),
                // Never one of the module's, but a name JSON must escape still makes valid JSON.
                new BatchItem("odd \"name\"", "odd.\"method\"\u2028", new JObject { ["x"] = "y" }),
            };
            var cmd = new JObject();
            foreach (var item in items) cmd[item.Name] = BatchEncoding.EncodeCommand(item.Method, item.Parameters ?? new JObject());
            var expected = new JObject { ["halt"] = 0, ["cmd"] = cmd }.ToString(Formatting.None);

            Assert.Equal(expected, BatchEncoding.BatchBody(items));
            Assert.Equal(expected, BatchEncoding.BatchBody(items));   // the per-thread builder is reused
            Assert.True(JToken.DeepEquals(JObject.Parse(expected), JObject.Parse(BatchEncoding.BatchBody(items))));
        }

        // ---- the answer -----------------------------------------------------------------------------------

        private static readonly BatchItem[] ThreeUpdates =
        {
            new BatchItem("c0", "crm.lead.update", null),
            new BatchItem("c1", "crm.lead.update", null),
            new BatchItem("c2", "crm.lead.update", null),
        };

        public static IEnumerable<object[]> Answers()
        {
            // A bulk update answer, one command refused.
            yield return new object[] { @"{""result"":{""result"":{""c0"":true,""c1"":true},""result_error"":{""c2"":{""error"":""ERROR_CORE"",""error_description"":""Not found""}},""result_total"":[],""result_next"":[],""result_time"":{""c0"":{""start"":1764000000.1234,""finish"":1764000000.2,""duration"":0.0766,""processing"":0.07,""date_start"":""2025-11-24T10:00:00+03:00"",""date_finish"":""2025-11-24T10:00:00+03:00"",""operating_reset_at"":1764000600,""operating"":12.5},""c1"":{""operating"":13,""operating_reset_at"":1764000601},""c2"":{""operating"":0}}},""time"":{""start"":1764000000.1,""operating"":0}}" };
            // Pretty-printed, a byte order mark, results of every kind, totals and nexts, names out of order.
            yield return new object[] { "\uFEFF" + @"{
  ""time"": { ""nested"": [1, -2.5e3, {""a"": [true, false, null]}, ""s\""\\\/\b\f\n\r\t\u00e9""] },
  ""result"": {
    ""result_next"": { ""c1"": 50 },
    ""result"": {
      ""c2"": ""a string with \u0022quotes\u0022 and Кириллица"",
      ""c0"": { ""ID"": ""7"", ""BIRTHDATE"": ""1990-05-31T03:00:00+03:00"", ""PHONE"": [ { ""ID"": ""1"", ""VALUE"": ""+7"" } ] },
      ""c1"": [ { ""ID"": 1 }, { ""ID"": 2 } ],
      ""unknown"": 1
    },
    ""result_total"": { ""c1"": ""120"" },
    ""result_error"": [],
    ""result_time"": []
  }
}" };
            // Numbers as results: small, negative, zero, beyond a long, fractional.
            yield return new object[] { @"{""result"":{""result"":{""c0"":12345,""c1"":-7,""c2"":0},""result_error"":[],""result_total"":[],""result_next"":[],""result_time"":{}}}" };
            yield return new object[] { @"{""result"":{""result"":{""c0"":123456789012345678901234,""c1"":1.5,""c2"":null},""result_error"":[]}}" };
            // Everything refused: PHP's empty result section.
            yield return new object[] { @"{""result"":{""result"":[],""result_error"":{""c0"":{""error"":""QUERY_LIMIT_EXCEEDED"",""error_description"":""Too many""},""c1"":{""error"":""ACCESS_DENIED""},""c2"":{""error_description"":""no code""}},""result_time"":{""c0"":{""operating"":""not a number""}}}}" };
        }

        [Theory]
        [MemberData(nameof(Answers))]
        public void ABatchAnswerIsReadInTheOrderOfTheCommandsWithItsBudgetFigures(string answer)
        {
            var general = (JObject)JsonText.Parse(answer.TrimStart('\uFEFF'));
            var reply = BatchAnswer.ReadReply(JsonText.ParseEnvelope(answer.TrimStart('\uFEFF'), compactBatchTimes: true)["result"], ThreeUpdates);

            var expected = BatchAnswer.Read(general["result"], ThreeUpdates.Select(i => i.Name));
            for (var i = 0; i < ThreeUpdates.Length; i++)
            {
                var want = expected[ThreeUpdates[i].Name];
                var got = reply.Results[i];
                Assert.Equal(want.Name, got.Name);
                Assert.True(JToken.DeepEquals(want.Result, got.Result), $"{want.Name}: {got.Result} instead of {want.Result}");
                Assert.Equal(want.Result?.Type, got.Result?.Type);
                Assert.Equal(want.Total, got.Total);
                Assert.Equal(want.Next, got.Next);
                Assert.Equal(want.ErrorCode, got.ErrorCode);
                Assert.Equal(want.ErrorDescription, got.ErrorDescription);
                Assert.Equal(want.Failed, got.Failed);
            }

            // The budget figures are those of the full parse, in the answer's order.
            var times = general["result"]["result_time"] as JObject;
            var wantTimes = times == null ? new List<(int, double, double)>() : times.Properties()
                .Select(p => (Array.FindIndex(ThreeUpdates, i => i.Name == p.Name), p.Value))
                .Select(t => (t.Item1, t.Value["operating"]?.Type == JTokenType.String ? 0 : (double?)t.Value["operating"] ?? 0, (double?)t.Value["operating_reset_at"] ?? 0))
                .ToList();
            Assert.Equal(wantTimes, reply.Times);
        }

        [Fact]
        public void TheResultsAreReadTheWayJsonNetReadsThem()
        {
            var answer = @"{""result"":{""result"":{""c0"":{""DATE"":""2025-01-31T00:00:00+03:00"",""N"":1.0},""c1"":true,""c2"":12}}}";
            var reply = BatchAnswer.ReadReply(JsonText.ParseEnvelope(answer, compactBatchTimes: true)["result"], ThreeUpdates);
            // Date-like strings stay strings; integers are Int64 as Json.NET makes them.
            Assert.Equal(JTokenType.String, reply.Results[0].Result["DATE"].Type);
            Assert.Equal(JTokenType.Float, reply.Results[0].Result["N"].Type);
            Assert.Equal(12L, ((JValue)reply.Results[2].Result).Value);
            Assert.True((bool)reply.Results[1].Result);
        }

        // ---- through the client -----------------------------------------------------------------------------

        private sealed class CannedPortal : HttpMessageHandler
        {
            private readonly Func<string, HttpResponseMessage> _answer;
            public readonly List<string> Bodies = new List<string>();
            public CannedPortal(Func<string, HttpResponseMessage> answer) => _answer = answer;

            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var body = await request.Content.ReadAsStringAsync();
                lock (Bodies) Bodies.Add(body);
                return _answer(body);
            }
        }

        private static HttpResponseMessage Answer(HttpStatusCode status, string text, string mediaType = "application/json", Encoding encoding = null)
        {
            var content = new ByteArrayContent((encoding ?? Encoding.UTF8).GetBytes(text));
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(mediaType) { CharSet = (encoding ?? Encoding.UTF8).WebName };
            return new HttpResponseMessage(status) { Content = content };
        }

        private static Bitrix24Client Client(HttpMessageHandler handler)
        {
            var connection = Bitrix24Connection.FromWebhook("https://wire.bitrix24.invalid/rest/1/wireSecret/", handler);
            connection.MaxAttempts = 1;
            return connection.Client;
        }

        [Fact]
        public async Task ABatchCallSendsTheBodyAndReadsEachCommandsAnswerAndItsBudget()
        {
            var portal = new CannedPortal(_ => Answer(HttpStatusCode.OK,
                @"{""result"":{""result"":{""c0"":true,""c1"":true},""result_error"":{""c2"":{""error"":"""",""error_description"":""Not found""}},""result_time"":{""c0"":{""operating"":470,""operating_reset_at"":4102444800},""c1"":{""operating"":479.5,""operating_reset_at"":4102444800}}}}"));
            var client = Client(portal);
            var items = new[]
            {
                new BatchItem("c0", "crm.lead.update", new JObject { ["id"] = 1, ["fields"] = new JObject { ["TITLE"] = "a" } }),
                new BatchItem("c1", "crm.lead.update", new JObject { ["id"] = 2, ["fields"] = new JObject { ["TITLE"] = "b" } }),
                new BatchItem("c2", "crm.lead.update", new JObject { ["id"] = 3, ["fields"] = new JObject { ["TITLE"] = "c" } }),
            };

            var reply = await client.CallBatchAsync(items, CancellationToken.None);

            Assert.Equal(@"{""halt"":0,""cmd"":{""c0"":""crm.lead.update?id=1&fields[TITLE]=a"",""c1"":""crm.lead.update?id=2&fields[TITLE]=b"",""c2"":""crm.lead.update?id=3&fields[TITLE]=c""}}",
                         Assert.Single(portal.Bodies));
            Assert.True((bool)reply.Results[0].Result);
            Assert.True((bool)reply.Results[1].Result);
            Assert.True(reply.Results[2].Failed);
            Assert.Equal("Not found", reply.Results[2].ErrorDescription);
            // The last figure (479.5 s of the 480 s budget) counts: the next crm.lead.update call must wait.
            Assert.True(client.Connection.Budget.DelayFor("crm.lead.update", out _) > TimeSpan.FromMinutes(1));
        }

        [Theory]
        [InlineData(HttpStatusCode.InternalServerError, @"{""error"":""INTERNAL_SERVER_ERROR"",""error_description"":""Internal server error""}", "application/json", "INTERNAL_SERVER_ERROR")]
        [InlineData(HttpStatusCode.OK, @"{""error"":""ACCESS_DENIED"",""error_description"":""Access denied!""}", "application/json", "ACCESS_DENIED")]
        [InlineData(HttpStatusCode.BadGateway, "<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html", "INTERNAL_SERVER_ERROR")]
        [InlineData(HttpStatusCode.OK, @"{""result"":{""result"":{""c0"":tru}}}", "application/json", "INVALID_RESPONSE")]
        public async Task AnAnswerTheFastReaderDoesNotKnowEndsAsTheSameErrorAsBefore(HttpStatusCode status, string text, string mediaType, string code)
        {
            var client = Client(new CannedPortal(_ => Answer(status, text, mediaType)));
            var items = new[] { new BatchItem("c0", "crm.lead.update", new JObject { ["id"] = 1 }), new BatchItem("c1", "crm.lead.update", new JObject { ["id"] = 2 }) };

            var error = await Assert.ThrowsAsync<Bitrix24Exception>(() => client.CallBatchAsync(items, CancellationToken.None, retryUnknownOutcome: false));
            Assert.Equal(code, error.ErrorCode);
        }

        [Fact]
        public async Task TimingFiguresThatAreNotNumbersCountAsZeroOnEitherPath()
        {
            // The same odd answer once as UTF-8 (the fast reader) and once as windows-1251 (the general one).
            const string text = @"{""result"":{""result"":{""c0"":true,""c1"":true},""result_time"":{""c0"":{""operating"":""soon"",""operating_reset_at"":null},""c1"":{""operating"":{""a"":1}}}}}";
            foreach (var encoding in new[] { Encoding.UTF8, CodePagesEncoding() })
            {
                var client = Client(new CannedPortal(_ => Answer(HttpStatusCode.OK, text, encoding: encoding)));
                var items = new[] { new BatchItem("c0", "crm.lead.update", new JObject { ["id"] = 1 }), new BatchItem("c1", "crm.lead.update", new JObject { ["id"] = 2 }) };

                var reply = await client.CallBatchAsync(items, CancellationToken.None);

                Assert.True((bool)reply.Results[0].Result && (bool)reply.Results[1].Result, encoding.WebName);
                Assert.Equal(TimeSpan.Zero, client.Connection.Budget.DelayFor("crm.lead.update", out _));
            }
        }

        [Fact]
        public async Task AnAnswerInAnotherCharsetIsReadTheGeneralWay()
        {
            var cp1251 = CodePagesEncoding();
            var client = Client(new CannedPortal(_ => Answer(HttpStatusCode.OK,
                @"{""result"":{""result"":{""c0"":{""TITLE"":""Иван""}},""result_error"":{""c1"":{""error"":"""",""error_description"":""Лид не найден""}}}}", encoding: cp1251)));
            var items = new[] { new BatchItem("c0", "crm.lead.get", new JObject { ["id"] = 1 }), new BatchItem("c1", "crm.lead.get", new JObject { ["id"] = 2 }) };

            var reply = await client.CallBatchAsync(items, CancellationToken.None);

            Assert.Equal("Иван", (string)reply.Results[0].Result["TITLE"]);
            Assert.Equal("Лид не найден", reply.Results[1].ErrorDescription);
        }

        private static Encoding CodePagesEncoding()
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            return Encoding.GetEncoding("windows-1251");
        }

        [Fact]
        public async Task AnOAuthBatchCarriesTheTokenLastAndTheVerboseLogNever()
        {
            var portal = new CannedPortal(_ => Answer(HttpStatusCode.OK, @"{""result"":{""result"":{""c0"":true}}}"));
            var connection = Bitrix24Connection.FromOAuth("https://wire.bitrix24.invalid", "oauth\"Token\\1", portal);
            var log = new List<string>();
            var items = new[] { new BatchItem("c0", "crm.lead.update", new JObject { ["id"] = 1, ["fields"] = new JObject { ["TITLE"] = "x" } }) };

            var reply = await connection.Client.CallBatchAsync(items, CancellationToken.None, log.Add);

            var sent = JObject.Parse(Assert.Single(portal.Bodies));
            Assert.Equal(new[] { "halt", "cmd", "auth" }, sent.Properties().Select(p => p.Name));
            Assert.Equal("oauth\"Token\\1", (string)sent["auth"]);
            Assert.True((bool)reply.Results[0].Result);
            Assert.NotEmpty(log);
            Assert.DoesNotContain(log, line => line.Contains("oauth"));
        }
    }
}
