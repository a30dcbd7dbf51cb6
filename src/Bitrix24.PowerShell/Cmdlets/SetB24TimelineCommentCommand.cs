using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.Rest.Crm.Timeline;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Changes the text of timeline comments (crm.timeline.comment.update), piped from Get-B24TimelineComment or by -Id.</summary>
    [Cmdlet(VerbsCommon.Set, "B24TimelineComment", SupportsShouldProcess = true)]
    public sealed class SetB24TimelineCommentCommand : B24ConnectedCmdlet
    {
        /// <summary>The comments' ids (the ID of objects from Get-B24TimelineComment).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, int.MaxValue)]
        public int[] Id { get; set; }

        /// <summary>The new text.</summary>
        [Parameter(Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string Text { get; set; }

        /// <summary>The record the comment is on, by type name (ENTITY_TYPE of a piped comment: deal, lead, dynamic_1032 …); sent
        /// as ownerTypeId, which the portal wants when the comment is on several records.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
        [Alias("ENTITY_TYPE")]
        public string OwnerType { get; set; }

        /// <summary>The id of the record the comment is on (ENTITY_ID of a piped comment).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
        [Alias("ENTITY_ID")]
        public int OwnerId { get; set; }

        /// <summary>The text before (COMMENT of a piped comment), for -WhatIf.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
        [Alias("COMMENT")]
        public string OldText { get; set; }

        private TimelineComments _comments;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _comments = new TimelineComments(ActiveConnection.Client);
            StartBulk(ActiveConnection.Client, "Changing Bitrix24 timeline comments", "comment(s) changed", null, unit: "comments");
        }

        protected override void ProcessRecord()
        {
            var owner = CrmOwner.EntityTypeIdOf(OwnerType) is int type && OwnerId > 0 ? new CrmOwner(type, OwnerId) : (CrmOwner?)null;
            foreach (var id in Id)
            {
                var change = OldText == null ? $"Update COMMENT = '{AddB24TimelineCommentCommand.Shorten(Text)}'"
                                             : $"Update COMMENT = '{AddB24TimelineCommentCommand.Shorten(OldText)}' -> '{AddB24TimelineCommentCommand.Shorten(Text)}'";
                if (OldText == Text) { WriteVerbose($"Comment {id} already says that: nothing to send."); continue; }
                if (!ShouldProcess(owner == null ? $"Comment {id}" : $"Comment {id} on {owner}", change)) continue;
                QueueBulk(_comments.UpdateCommand(id, Text, owner));
            }
        }

        protected override void EndProcessing() => CompleteBulk();
    }
}
