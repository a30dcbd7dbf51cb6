using System.IO;
using Bitrix24.Rest.Batch;
using Bitrix24.Rest.Transport;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Bitrix24.Tests.Client
{
    /// <summary>The bulk path reads batch answers its own (lighter) way and encodes commands without
    /// building a string per pair: both must still say exactly what the general path says.</summary>
    public class AnswerParsingTests
    {
        private const string BatchAnswer = @"{
  ""result"": {
    ""result"": { ""c0"": true, ""c1"": { ""ID"": ""7"", ""BIRTHDATE"": ""1990-05-31T03:00:00+03:00"" } },
    ""result_error"": { ""c2"": { ""error"": """", ""error_description"": ""Not found"" } },
    ""result_total"": [],
    ""result_next"": [],
    ""result_time"": {
      ""c0"": { ""start"": 1764000000.1234, ""finish"": 1764000000.2, ""duration"": 0.0766, ""processing"": 0.07,
               ""date_start"": ""2025-11-24T10:00:00+03:00"", ""date_finish"": ""2025-11-24T10:00:00+03:00"",
               ""operating_reset_at"": 1764000600, ""operating"": 12.5 },
      ""c1"": { ""start"": 1, ""nested"": { ""a"": [1, 2, { ""b"": null }] }, ""operating"": 13, ""operating_reset_at"": 1764000601 }
    }
  },
  ""time"": { ""start"": 1764000000.1, ""operating"": 0 }
}";

        [Fact]
        public void ACompactBatchAnswerKeepsOnlyTheBudgetFieldsOfEachTimingAndAllTheRest()
        {
            var full = (JObject)JsonText.Parse(BatchAnswer);
            var compact = (JObject)JsonText.ParseEnvelope(BatchAnswer, compactBatchTimes: true);

            var times = (JObject)compact["result"]["result_time"];
            Assert.Equal(new JObject { ["operating_reset_at"] = 1764000600, ["operating"] = 12.5 }, times["c0"], JToken.EqualityComparer);
            Assert.Equal(new JObject { ["operating"] = 13, ["operating_reset_at"] = 1764000601 }, times["c1"], JToken.EqualityComparer);

            // Everything else is what the full parse gives, strings that look like dates included.
            ((JObject)full["result"]).Remove("result_time");
            ((JObject)compact["result"]).Remove("result_time");
            Assert.True(JToken.DeepEquals(full, compact), compact.ToString());
            Assert.Equal(JTokenType.String, compact["result"]["result"]["c1"]["BIRTHDATE"].Type);
            Assert.Equal("1990-05-31T03:00:00+03:00", (string)compact["result"]["result"]["c1"]["BIRTHDATE"]);
            Assert.Equal(JTokenType.Array, compact["result"]["result_total"].Type);
        }

        [Theory]
        [InlineData(@"{""result"":{""result"":[],""result_error"":[],""result_time"":[]},""time"":{}}")]   // PHP's empty sections
        [InlineData(@"{""result"":true,""time"":{""operating"":1}}")]
        [InlineData(@"{""result"":[1,2,3],""total"":3}")]
        [InlineData(@"{""error"":""QUERY_LIMIT_EXCEEDED"",""error_description"":""Too many requests""}")]
        [InlineData(@"[1, {""a"": ""b""}]")]
        public void AnswersWithoutTimingsParseTheSameEitherWay(string answer)
        {
            Assert.True(JToken.DeepEquals(JsonText.Parse(answer), JsonText.ParseEnvelope(answer, compactBatchTimes: true)));
        }

        [Theory]
        [InlineData(@"{""result"":{""result_time"":{""c0"":{""operating"":1}}}} trailing")]
        [InlineData(@"{""result"":{""result_time"":{""c0"":{""operating"":")]
        [InlineData(@"<html><body>Bad Gateway</body></html>")]
        [InlineData("")]
        public void BrokenAnswersStillFailAsJson(string answer)
        {
            Assert.ThrowsAny<JsonException>(() => JsonText.ParseEnvelope(answer, compactBatchTimes: true));
            Assert.ThrowsAny<JsonException>(() => JsonText.ParseEnvelope(new StringReader(answer), compactBatchTimes: false));
        }

        [Fact]
        public void CommandsAreEncodedAsPhpsHttpBuildQueryDoes()
        {
            var parameters = new JObject
            {
                ["id"] = 42,
                ["fields"] = new JObject
                {
                    ["TITLE"] = "Tom & Jerry + Co 100%",
                    ["PHONE"] = new JArray(new JObject { ["VALUE"] = "+7 (999) 123", ["VALUE_TYPE"] = "WORK" }, new JObject { ["ID"] = "5", ["DELETE"] = "Y" }),
                    ["OPENED"] = true,
                    ["COMMENTS"] = JValue.CreateNull(),
                    ["UF_CRM_EMPTY"] = new JObject(),
                    ["NAME"] = "Иван",
                },
                ["params"] = new JObject { ["REGISTER_SONET_EVENT"] = "Y" },
            };

            Assert.Equal(
                "crm.lead.update?id=42&fields[TITLE]=Tom%20%26%20Jerry%20%2B%20Co%20100%25" +
                "&fields[PHONE][0][VALUE]=%2B7%20%28999%29%20123&fields[PHONE][0][VALUE_TYPE]=WORK" +
                "&fields[PHONE][1][ID]=5&fields[PHONE][1][DELETE]=Y&fields[OPENED]=1&fields[COMMENTS]=" +
                "&fields[NAME]=%D0%98%D0%B2%D0%B0%D0%BD&params[REGISTER_SONET_EVENT]=Y",
                BatchEncoding.EncodeCommand("crm.lead.update", parameters));
            Assert.Equal("crm.lead.fields", BatchEncoding.EncodeCommand("crm.lead.fields", new JObject()));
            Assert.Equal("crm.lead.fields", BatchEncoding.EncodeCommand("crm.lead.fields", new JObject { ["fields"] = new JObject() }));
            // Encoding twice on one thread (the builders are reused) gives the same text.
            Assert.Equal(BatchEncoding.EncodeCommand("crm.lead.update", parameters), BatchEncoding.EncodeCommand("crm.lead.update", parameters));
        }
    }
}
