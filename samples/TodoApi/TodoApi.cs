using Sake;

/// <summary>A to-do item.</summary>
/// <param name="Id">Assigned by the store.</param>
/// <param name="Title">What to do.</param>
/// <param name="Done">Whether it is done.</param>
public sealed record Todo(int Id, string Title, bool Done);

/// <summary>The body of POST /todos and PUT /todos/{id}.</summary>
/// <param name="Title">What to do.</param>
/// <param name="Done">Whether it is done (false when absent).</param>
public sealed record TodoInput(string Title, bool Done = false);

/// <summary>The body of POST /reports/summary: the items to summarize (e.g. what GET /todos returned).</summary>
/// <param name="Items">The items.</param>
public sealed record SummaryRequest(IReadOnlyList<Todo> Items);

/// <summary>One word and how often it appears in the titles.</summary>
/// <param name="Word">The word, lower case.</param>
/// <param name="Count">How many times it appears.</param>
public sealed record WordCount(string Word, int Count);

/// <summary>The answer of POST /reports/summary.</summary>
/// <param name="Total">Items summarized.</param>
/// <param name="Done">Items done.</param>
/// <param name="TopWords">The most frequent title words, most frequent first.</param>
/// <param name="InWorkerPool">True when the report ran on a worker thread.</param>
public sealed record Summary(int Total, int Done, IReadOnlyList<WordCount> TopWords, bool InWorkerPool);

/// <summary>
/// The to-do API. The store is a plain <see cref="Dictionary{TKey, TValue}"/> with no lock: every loop handler runs on
/// the one event-loop thread, so they take turns by construction. The worker route never touches it (worker threads
/// run in parallel; SAKE0019 would warn): it summarizes the items the request carries.
/// </summary>
public static partial class TodoApi
{
    // Owned by the event loop: only loop handlers (no [Worker]) read or write it.
    private static readonly Dictionary<int, Todo> Store = new();
    private static int _nextId;

    /// <summary>GET /todos: every item, by id.</summary>
    /// <returns>The items.</returns>
    [Get("/todos")]
    public static List<Todo> List()
    {
        var items = new List<Todo>(Store.Values);
        items.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        return items;
    }

    /// <summary>GET /todos/{id}: one item, or 404.</summary>
    /// <param name="id">The item's id.</param>
    /// <returns>The item, or 404.</returns>
    [Get("/todos/{id:int}")]
    public static Result<Todo> Get(int id) => Store.TryGetValue(id, out var todo) ? Result<Todo>.Ok(todo) : Result<Todo>.NotFound($"No to-do {id}.");

    /// <summary>POST /todos: creates an item; 201 with its location.</summary>
    /// <param name="input">The new item.</param>
    /// <returns>201 Created, or 400 when the title is blank.</returns>
    [Post("/todos")]
    public static Result<Todo> Create(TodoInput input)
    {
        if (string.IsNullOrWhiteSpace(input.Title))
        {
            return Result<Todo>.BadRequest("A to-do needs a title.");
        }

        var todo = new Todo(++_nextId, input.Title.Trim(), input.Done);
        Store.Add(todo.Id, todo);
        return Result<Todo>.Created($"/todos/{todo.Id}", todo);
    }

    /// <summary>PUT /todos/{id}: replaces an item.</summary>
    /// <param name="id">The item's id.</param>
    /// <param name="input">Its new content.</param>
    /// <returns>The item, 404, or 400 when the title is blank.</returns>
    [Put("/todos/{id:int}")]
    public static Result<Todo> Update(int id, TodoInput input)
    {
        if (!Store.ContainsKey(id))
        {
            return Result<Todo>.NotFound($"No to-do {id}.");
        }

        if (string.IsNullOrWhiteSpace(input.Title))
        {
            return Result<Todo>.BadRequest("A to-do needs a title.");
        }

        var todo = new Todo(id, input.Title.Trim(), input.Done);
        Store[id] = todo;
        return Result<Todo>.Ok(todo);
    }

    /// <summary>DELETE /todos/{id}: removes an item.</summary>
    /// <param name="id">The item's id.</param>
    /// <returns>204, or 404.</returns>
    [Delete("/todos/{id:int}")]
    public static Result Delete(int id) => Store.Remove(id) ? Result.NoContent() : Result.NotFound($"No to-do {id}.");

    /// <summary>
    /// POST /reports/summary: counts and the most frequent title words of the posted items, on the worker pool (CPU
    /// work that would otherwise hold every other request on the loop).
    /// </summary>
    /// <param name="request">The items to summarize.</param>
    /// <param name="ctx">The request (only to report where it ran).</param>
    /// <returns>The summary.</returns>
    [Post("/reports/summary"), Worker]
    public static Summary Summarize(SummaryRequest request, Context ctx)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        int done = 0;
        foreach (var item in request.Items)
        {
            done += item.Done ? 1 : 0;
            foreach (var word in item.Title.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                string key = word.ToLowerInvariant();
                counts[key] = counts.TryGetValue(key, out int n) ? n + 1 : 1;
            }
        }

        var top = new List<WordCount>(counts.Count);
        foreach (var (word, count) in counts)
        {
            top.Add(new WordCount(word, count));
        }

        top.Sort(static (a, b) => b.Count != a.Count ? b.Count.CompareTo(a.Count) : string.CompareOrdinal(a.Word, b.Word));
        return new Summary(request.Items.Count, done, top.GetRange(0, Math.Min(5, top.Count)), ctx.InWorkerPool);
    }
}
