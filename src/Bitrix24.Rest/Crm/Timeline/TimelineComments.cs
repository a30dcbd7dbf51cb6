using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Bitrix24.Rest.Batch;
using Bitrix24.Rest.Transport;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Rest.Crm.Timeline
{
    /// <summary>
    /// Comments in a CRM record's timeline (crm/timeline/comments): crm.timeline.comment.add takes
    /// fields.ENTITY_ID, ENTITY_TYPE (the type name) and COMMENT and answers the new id; .list takes a filter on
    /// ENTITY_ID and ENTITY_TYPE (both required), pages by 50 and answers total; .update takes id and
    /// fields.COMMENT, .delete takes id, both with ownerTypeId and ownerId when the comment is on several records.
    /// </summary>
    public sealed class TimelineComments
    {
        public const string AddMethod = "crm.timeline.comment.add";
        public const string ListMethod = "crm.timeline.comment.list";
        public const string UpdateMethod = "crm.timeline.comment.update";
        public const string DeleteMethod = "crm.timeline.comment.delete";

        private readonly Bitrix24Client _client;

        public TimelineComments(Bitrix24Client client) => _client = client;

        /// <summary>Every comment of <paramref name="owner"/>, oldest first.</summary>
        public Task<IList<JObject>> ListAsync(CrmOwner owner, CancellationToken cancellation, Action<string> log = null) =>
            _client.ListAllAsync(ListMethod, ListParameters(owner, "ASC"), cancellation, log);

        private static JObject ListParameters(CrmOwner owner, string order) =>
            new JObject
            {
                ["filter"] = new JObject { ["ENTITY_ID"] = owner.Id, ["ENTITY_TYPE"] = owner.TypeName },
                ["order"] = new JObject { ["ID"] = order },
            };

        /// <summary>
        /// Adds a comment to <paramref name="owner"/>. An add must not run twice: after an unknown outcome (a 500,
        /// a dropped connection) the owner's newest comments are read, and one with this very text is taken as
        /// the first attempt's.
        /// </summary>
        public BulkCommand AddCommand(CrmOwner owner, string text)
        {
            var parameters = new JObject
            {
                ["fields"] = new JObject { ["ENTITY_ID"] = owner.Id, ["ENTITY_TYPE"] = owner.TypeName, ["COMMENT"] = text },
            };
            return new BulkCommand(AddMethod, parameters, owner.Id, owner)
            {
                Target = owner.ToString(),
                Idempotent = false,
                FindExisting = async (cancel, log) =>
                {
                    var newest = await _client.CallAsync(ListMethod, ListParameters(owner, "DESC"), cancel, log).ConfigureAwait(false);
                    var same = (newest.Result as JArray)?.OfType<JObject>().FirstOrDefault(c => (string)c["COMMENT"] == text);
                    return same?["ID"];
                },
            };
        }

        /// <summary>Changes comment <paramref name="id"/>'s text; <paramref name="owner"/> names the record when it is known.</summary>
        public BulkCommand UpdateCommand(int id, string text, CrmOwner? owner) =>
            new BulkCommand(UpdateMethod, WithOwner(new JObject { ["id"] = id, ["fields"] = new JObject { ["COMMENT"] = text } }, owner), id, owner)
            {
                Target = id,
            };

        /// <summary>Deletes comment <paramref name="id"/> (from <paramref name="owner"/> only, when given and the comment
        /// is on several records). After an unknown outcome, "not found" means the first attempt deleted it.</summary>
        public BulkCommand DeleteCommand(int id, CrmOwner? owner) =>
            new BulkCommand(DeleteMethod, WithOwner(new JObject { ["id"] = id }, owner), id, owner)
            {
                Target = id,
                DoneAlreadyWhen = error => error.Kind == Bitrix24ErrorKind.NotFound,
            };

        private static JObject WithOwner(JObject parameters, CrmOwner? owner)
        {
            if (owner is CrmOwner known)
            {
                parameters["ownerTypeId"] = known.EntityTypeId;
                parameters["ownerId"] = known.Id;
            }
            return parameters;
        }
    }
}
