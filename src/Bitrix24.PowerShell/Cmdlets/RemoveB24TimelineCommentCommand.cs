using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.Rest.Crm.Timeline;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Deletes timeline comments (crm.timeline.comment.delete); asks for every one (ConfirmImpact High).</summary>
    [Cmdlet(VerbsCommon.Remove, "B24TimelineComment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    public sealed class RemoveB24TimelineCommentCommand : B24ConnectedCmdlet
    {
        /// <summary>The comments' ids (the ID of objects from Get-B24TimelineComment).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, int.MaxValue)]
        public int[] Id { get; set; }

        /// <summary>The record the comment is on, by type name (ENTITY_TYPE of a piped comment): a comment on several
        /// records is then taken off this one only (crm-timeline-comment-delete.md).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
        [Alias("ENTITY_TYPE")]
        public string OwnerType { get; set; }

        /// <summary>The id of the record the comment is on (ENTITY_ID of a piped comment).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
        [Alias("ENTITY_ID")]
        public int OwnerId { get; set; }

        private TimelineComments _comments;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _comments = new TimelineComments(ActiveConnection.Client);
            StartBulk(ActiveConnection.Client, "Removing Bitrix24 timeline comments", "comment(s) deleted", null, unit: "comments");
        }

        protected override void ProcessRecord()
        {
            var owner = CrmOwner.EntityTypeIdOf(OwnerType) is int type && OwnerId > 0 ? new CrmOwner(type, OwnerId) : (CrmOwner?)null;
            foreach (var id in Id)
                if (ShouldProcess(owner == null ? $"Comment {id}" : $"Comment {id} on {owner}", "Delete"))
                    QueueBulk(_comments.DeleteCommand(id, owner));
        }

        protected override void EndProcessing() => CompleteBulk();
    }
}
